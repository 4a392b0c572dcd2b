import type { Db } from '../db/prisma-client.js';
import { expireInvitationsJob } from '../queues/job-catalog.js';
import type { JobQueues } from '../queues/job-queues.js';
import { QUEUE } from '../queues/queue-names.js';

export const EXPIRE_EVERY_MS = 3600_000;

/**
 * Invitations past their expiry that were never completed become `expired`, and forget
 * their recipient and dossier code: nothing will be sent to them again, and the dossier's
 * keyed hash still finds the invitation when the one-stop system asks again.
 */
export async function expireInvitations(db: Db, now: Date): Promise<number> {
  const res = await db.invitation.updateMany({
    where: { expiresAt: { lte: now }, status: { in: ['created', 'queued', 'sent', 'opened'] } },
    data: { status: 'expired', expiredAt: now, recipientPhone: null, recipientChatId: null, recipientZaloId: null, dossierCode: null },
  });
  return res.count;
}

/** One schedule for the whole deployment (a shared scheduler id, whatever the number of processes). */
export async function scheduleInvitationExpiry(queues: JobQueues): Promise<void> {
  await queues.queue(QUEUE.maintenance).upsertJobScheduler(
    'expire-invitations',
    { every: EXPIRE_EVERY_MS },
    { name: expireInvitationsJob.name, data: {}, opts: { attempts: 3, removeOnComplete: 100, removeOnFail: 100 } },
  );
}
