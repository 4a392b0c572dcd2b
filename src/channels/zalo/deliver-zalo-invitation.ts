import type { RedisClient } from '../../queues/redis-connection.js';
import type { Db } from '../../db/prisma-client.js';
import { enqueueOutbound } from '../../outbound/enqueue-outbound.js';
import { outboundJobs, znsInvitationJob } from '../../queues/job-catalog.js';
import { invitationSendKey } from '../../invitations/invitation-send-key.js';
import { zaloRecipientBlock } from './zalo-recipient-block.js';
import type { JobQueues } from '../../queues/job-queues.js';
import { ZALO_VI } from './zalo-texts-vi.js';
import type { ChannelInvitationDelivery } from '../../invitations/deliver-invitation.js';
import { invitationText, unopenedReminderText } from '../../invitations/invitation-text.js';
import { invitationSurveyLength } from '../../invitations/invitation-survey-length.js';
import { markInvitationUndeliverable } from '../../invitations/invitation-outcome.js';
import { invitationMissedByCs } from './zalo-invitation-fallback.js';

/**
 * Zalo's `deliverInvitation`: a CS message when the invitation names a Zalo
 * user (ZNS when that user cannot be reached by CS and a phone is known), else a ZNS
 * template to the phone. Both go through the OA's rate-limited outbound queue. The
 * text carries the short code the citizen sends back in the OA chat.
 */
export function zaloInvitationDelivery(deps: { db: Db; queues: JobQueues; redis: RedisClient; prefix: string }): ChannelInvitationDelivery {
  return async (inv, kind = 'invitation') => {
    const reminder = kind === 'reminder';
    if (inv.recipientZaloId) {
      const blocked = await zaloRecipientBlock(deps.db, inv.recipientZaloId, kind);
      if (blocked) {
        // A reminder that cannot reach the user is just not sent; the invitation itself went out.
        if (!reminder) await invitationMissedByCs(deps, inv.id, blocked);
        return;
      }
      const fields = { unitName: inv.unit.name, code: inv.code, expiresAt: inv.expiresAt };
      const text = reminder ? unopenedReminderText(fields) : invitationText({ ...fields, length: invitationSurveyLength(inv.questionnaire) });
      // With buttons on, one tap sends the code back (the payload is the code itself).
      const start = { data: inv.code, label: ZALO_VI.startButton, role: 'control' as const };
      await enqueueOutbound(deps, outboundJobs.zalo, {
        batchId: reminder ? `unopened-${inv.id}` : `inv-${invitationSendKey(inv)}`,
        userRef: inv.recipientZaloId,
        messages: [{ type: 'text', text, options: [start] }],
        kind,
        invitationId: inv.id,
      });
      return;
    }
    if (inv.recipientPhone) {
      if (reminder) await deps.queues.add(znsInvitationJob, { invitationId: inv.id, sendKey: `unopened-${inv.id}`, reminder: true });
      else await deps.queues.add(znsInvitationJob, { invitationId: inv.id, sendKey: invitationSendKey(inv) });
      return;
    }
    if (reminder) return;
    await markInvitationUndeliverable(deps.db, inv.id, 'no Zalo recipient (zaloUserId or phone)');
  };
}
