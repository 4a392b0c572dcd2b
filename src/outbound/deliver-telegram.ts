import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { TelegramRateLimited, TelegramRecipientGone, type TelegramSender } from '../channels/telegram/telegram-sender.js';
import type { Db } from '../db/prisma-client.js';
import type { Metrics } from '../observability/metrics.js';
import { logDelivery } from './delivery-log.js';
import type { OutboundJob } from './outbound-job.js';

/**
 * Sends one outbound job's messages in order. Progress (messages already sent) is kept
 * on the job, so a retry after a 429 or a network error resumes instead of repeating.
 * A 429 postpones the job by Telegram's retry_after without spending an attempt.
 */
export async function deliverTelegram(deps: { sender: TelegramSender; db: Db; metrics: Metrics }, payload: OutboundJob, job: Job, token?: string): Promise<void> {
  const { sender, metrics } = deps;
  let done = typeof job.progress === 'number' ? job.progress : 0;
  try {
    if (payload.callbackQueryId && done === 0) {
      await sender.acknowledge(payload.callbackQueryId);
    }
    for (let i = done; i < payload.messages.length; i++) {
      await sender.send(payload.userRef, payload.messages[i]!);
      done = i + 1;
      await job.updateProgress(done);
      metrics.outbound.inc({ channel: 'telegram', outcome: 'sent' });
    }
    if (payload.invitationId) await markInvitation(deps.db, payload.invitationId, 'sent');
    await logOutcome(deps.db, payload, job, 'sent');
  } catch (err) {
    if (err instanceof TelegramRateLimited && token) {
      metrics.outbound.inc({ channel: 'telegram', outcome: 'rate_limited' });
      await job.moveToDelayed(Date.now() + err.retryAfterMs, token);
      throw new DelayedError();
    }
    if (err instanceof TelegramRecipientGone) {
      metrics.outbound.inc({ channel: 'telegram', outcome: 'unreachable' });
      if (payload.invitationId) await markInvitation(deps.db, payload.invitationId, 'undeliverable', 'telegram chat unreachable');
      await logOutcome(deps.db, payload, job, 'failed', err.message);
      throw new UnrecoverableError(err.message);
    }
    metrics.outbound.inc({ channel: 'telegram', outcome: 'error' });
    throw err;
  }
}

/** Invitations and reminders get a delivery-log row (replies to the citizen do not). */
async function logOutcome(db: Db, p: OutboundJob, job: Job, status: 'sent' | 'failed', reason?: string): Promise<void> {
  if (p.kind === 'reply') return;
  await logDelivery(db, { channel: 'telegram', kind: p.kind, recipient: p.userRef, invitationId: p.invitationId, status, attempts: job.attemptsMade + 1, at: new Date(), ...(reason ? { errorCode: 'unreachable', errorMessage: reason } : {}) });
}

async function markInvitation(db: Db, id: string, status: 'sent' | 'undeliverable', reason?: string): Promise<void> {
  if (status === 'sent') {
    await db.invitation.updateMany({ where: { id, status: { in: ['created', 'queued'] } }, data: { status: 'sent', sentAt: new Date() } });
  } else {
    await db.invitation.updateMany({ where: { id, status: { in: ['created', 'queued', 'sent'] } }, data: { status: 'undeliverable', statusReason: reason ?? null } });
  }
}
