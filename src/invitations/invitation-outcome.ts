import type { Db } from '../db/prisma-client.js';
import type { JobQueues } from '../queues/job-queues.js';
import { znsInvitationJob } from './zns-invitation-job.js';

/** States a delivery outcome may overwrite: never an opened, started or finished survey. */
const UNSENT = ['created', 'queued'] as const;
const OPEN = ['created', 'queued', 'sent'] as const;

export async function markInvitationSent(db: Db, id: string, at: Date): Promise<void> {
  await db.invitation.updateMany({ where: { id, status: { in: [...UNSENT] } }, data: { status: 'sent', sentAt: at } });
}

/** `reason` is short and carries no personal data ("zns_no_zalo_account (error -118)"). */
export async function markInvitationUndeliverable(db: Db, id: string, reason: string): Promise<void> {
  await db.invitation.updateMany({ where: { id, status: { in: [...OPEN] } }, data: { status: 'undeliverable', statusReason: reason.slice(0, 200) } });
}

/**
 * A CS invitation could not reach the citizen. When the user is only silent (no
 * interaction for 7 days) and the invitation has a phone, it goes out by ZNS instead;
 * otherwise the invitation is undeliverable.
 */
export async function invitationMissedByCs(deps: { db: Db; queues: JobQueues }, id: string, why: { fallback: boolean; reason: string }): Promise<'zns' | 'undeliverable'> {
  if (why.fallback) {
    const inv = await deps.db.invitation.findUnique({ where: { id }, select: { recipientPhone: true } });
    if (inv?.recipientPhone) {
      await deps.queues.add(znsInvitationJob, { invitationId: id });
      return 'zns';
    }
    await markInvitationUndeliverable(deps.db, id, `${why.reason}; no phone for ZNS`);
    return 'undeliverable';
  }
  await markInvitationUndeliverable(deps.db, id, why.reason);
  return 'undeliverable';
}
