import type { RedisClient } from '../../queues/redis-connection.js';
import type { Db } from '../../db/prisma-client.js';
import { enqueueOutbound } from '../../outbound/enqueue-outbound.js';
import { outboundJobs, znsInvitationJob } from '../../queues/job-catalog.js';
import { invitationSendKey } from '../../invitations/invitation-send-key.js';
import { zaloRecipientBlock } from './zalo-recipient-block.js';
import type { JobQueues } from '../../queues/job-queues.js';
import { ZALO_VI } from './zalo-texts-vi.js';
import type { ChannelInvitationDelivery } from '../../invitations/deliver-invitation.js';
import { invitationText } from '../../invitations/invitation-text.js';
import { markInvitationUndeliverable } from '../../invitations/invitation-outcome.js';
import { invitationMissedByCs } from './zalo-invitation-fallback.js';

/**
 * Zalo's `deliverInvitation`: a CS message when the invitation names a Zalo
 * user (ZNS when that user cannot be reached by CS and a phone is known), else a ZNS
 * template to the phone. Both go through the OA's rate-limited outbound queue. The
 * text carries the short code the citizen sends back in the OA chat.
 */
export function zaloInvitationDelivery(deps: { db: Db; queues: JobQueues; redis: RedisClient; prefix: string }): ChannelInvitationDelivery {
  return async (inv) => {
    if (inv.recipientZaloId) {
      const blocked = await zaloRecipientBlock(deps.db, inv.recipientZaloId, 'invitation');
      if (blocked) {
        await invitationMissedByCs(deps, inv.id, blocked);
        return;
      }
      const text = invitationText({ unitName: inv.unit.name, code: inv.code, expiresAt: inv.expiresAt });
      // With buttons on, one tap sends the code back (the payload is the code itself).
      const start = { data: inv.code, label: ZALO_VI.startButton, role: 'control' as const };
      await enqueueOutbound(deps, outboundJobs.zalo, {
        batchId: `inv-${invitationSendKey(inv)}`,
        userRef: inv.recipientZaloId,
        messages: [{ type: 'text', text, options: [start] }],
        kind: 'invitation',
        invitationId: inv.id,
      });
      return;
    }
    if (inv.recipientPhone) {
      await deps.queues.add(znsInvitationJob, { invitationId: inv.id, sendKey: invitationSendKey(inv) });
      return;
    }
    await markInvitationUndeliverable(deps.db, inv.id, 'no Zalo recipient (zaloUserId or phone)');
  };
}
