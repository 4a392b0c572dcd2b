import type { Db } from '../../db/prisma-client.js';
import { markInvitationUndeliverable } from '../../invitations/invitation-outcome.js';
import { invitationSendKey } from '../../invitations/invitation-send-key.js';
import { znsInvitationJob } from '../../queues/job-catalog.js';
import type { JobQueues } from '../../queues/job-queues.js';

/**
 * A CS invitation could not reach the citizen. When the user is only silent (no
 * interaction for 7 days) and the invitation has a phone, it goes out by ZNS instead;
 * otherwise the invitation is undeliverable.
 */
export async function invitationMissedByCs(deps: { db: Db; queues: JobQueues }, id: string, why: { fallback: boolean; reason: string }): Promise<'zns' | 'undeliverable'> {
  if (why.fallback) {
    const inv = await deps.db.invitation.findUnique({ where: { id }, select: { id: true, recipientPhone: true, queuedAt: true } });
    if (inv?.recipientPhone) {
      await deps.queues.add(znsInvitationJob, { invitationId: id, sendKey: invitationSendKey(inv) });
      return 'zns';
    }
    await markInvitationUndeliverable(deps.db, id, `${why.reason}; no phone for ZNS`);
    return 'undeliverable';
  }
  await markInvitationUndeliverable(deps.db, id, why.reason);
  return 'undeliverable';
}
