import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitError, UnrecoverableError, type Job } from 'bullmq';
import { renderTelegram } from './render-telegram.js';
import { TelegramRateLimited, TelegramRecipientGone, type TelegramSender } from './telegram-sender.js';
import type { Db } from '../../db/prisma-client.js';
import { markInvitationSent, markInvitationUndeliverable } from '../../invitations/invitation-outcome.js';
import type { Metrics } from '../../observability/metrics.js';
import type { ChatLanes } from '../../outbound/chat-lanes.js';
import { logDelivery } from '../../outbound/delivery-log.js';
import { postpone } from '../../outbound/in-chat-turn.js';
import type { OutboundJob } from '../../queues/job-catalog.js';
import type { PromoteHead } from '../../outbound/promote-head.js';

export type DeliverTelegramDeps = {
  sender: TelegramSender;
  db: Db;
  metrics: Metrics;
  /** Per-chat order and spacing, and the bot-wide pacing (see chat-lanes.ts). */
  lanes: ChatLanes;
  /** Stops every worker of the queue from taking jobs for `ms` (BullMQ's queue rate limit). */
  pauseQueue: (ms: number) => Promise<void>;
  /** Sends a chat's prioritized head job next when a reply waits behind it. */
  promote?: PromoteHead;
};

/**
 * Sends one outbound job's messages in order. Before each message the chat's lane is
 * asked (chat-lanes.ts): it is the job's turn in its chat, the chat's previous job was
 * answered at least the chat interval ago (checked for the job's first new message; the
 * rest of one job's messages follow it as a short burst), and a bot-wide slot is
 * reserved. A job that has to wait is moved to "delayed" without spending an attempt.
 * Progress (messages already sent) is kept on the job, so a retry resumes instead of
 * repeating. A 429 pauses the whole bot (Telegram's answer does not say which limit was
 * hit, and the lanes already space each chat) by retry_after, without spending an attempt.
 */
export async function deliverTelegram(deps: DeliverTelegramDeps, payload: OutboundJob, job: Job, token?: string): Promise<void> {
  const { sender, metrics, lanes } = deps;
  let done = typeof job.progress === 'number' ? job.progress : 0;
  let spaced = false;
  try {
    for (let i = done; i < payload.messages.length; i++) {
      const message = payload.messages[i]!;
      const isNewMessage = renderTelegram(message).method === 'sendMessage';
      const gate = await lanes.claim({ userRef: payload.userRef, jobId: job.id!, seq: payload.seq ?? 0, chatSpacing: isNewMessage && !spaced, pace: true });
      if (gate.kind === 'duplicate') {
        metrics.outbound.inc({ channel: 'telegram', outcome: 'duplicate' });
        return;
      }
      if (gate.kind === 'defer') {
        metrics.outbound.inc({ channel: 'telegram', outcome: 'deferred' });
        throw await postpone(job, token, gate, deps.promote);
      }
      if (gate.kind === 'paused') throw await pauseAll(deps, gate.ms);
      if (gate.waitMs > 0) await sleep(gate.waitMs);
      const member = `${job.id}:${i}:${randomUUID().slice(0, 8)}`;
      await dispatchWhenFree(deps, member);
      let outcome: 'sent' | 'refused' | 'unknown' = 'unknown';
      try {
        await sender.send(payload.userRef, message);
        outcome = 'sent';
      } catch (err) {
        if (err instanceof TelegramRateLimited) outcome = 'refused';
        throw err;
      } finally {
        // Bookkeeping only: a Redis hiccup here must not turn a sent message into a retry (and a repeat).
        await lanes.settle({ userRef: payload.userRef, member, counted: outcome !== 'refused', newMessage: isNewMessage && outcome !== 'refused' }).catch(() => undefined);
      }
      if (isNewMessage) spaced = true;
      done = i + 1;
      await job.updateProgress(done);
      metrics.outbound.inc({ channel: 'telegram', outcome: 'sent' });
    }
    if (payload.invitationId) await markInvitationSent(deps.db, payload.invitationId, new Date());
    await logOutcome(deps.db, payload, job, 'sent');
  } catch (err) {
    if (err instanceof TelegramRateLimited) {
      metrics.outbound.inc({ channel: 'telegram', outcome: 'rate_limited' });
      await lanes.pause(payload.userRef, err.retryAfterMs);
      throw await pauseAll(deps, err.retryAfterMs);
    }
    if (err instanceof TelegramRecipientGone) {
      metrics.outbound.inc({ channel: 'telegram', outcome: 'unreachable' });
      if (payload.invitationId && payload.kind === 'invitation') await markInvitationUndeliverable(deps.db, payload.invitationId, 'telegram chat unreachable');
      await logOutcome(deps.db, payload, job, 'failed', err.message);
      throw new UnrecoverableError(err.message);
    }
    if (!(err instanceof Error && (err.name === 'DelayedError' || err instanceof RateLimitError))) metrics.outbound.inc({ channel: 'telegram', outcome: 'error' });
    throw err;
  }
}

/** Waits (briefly) until the send may leave: the bot is not paused and the rolling window has room. */
async function dispatchWhenFree(deps: DeliverTelegramDeps, member: string): Promise<void> {
  for (;;) {
    const d = await deps.lanes.dispatch(member);
    if (d.kind === 'go') return;
    if (d.kind === 'paused' && d.ms > deps.lanes.options.maxInlineWaitMs) throw await pauseAll(deps, d.ms);
    // A full window frees up as soon as a logged send ages out or one in flight is answered.
    await sleep(d.kind === 'paused' ? d.ms : Math.min(d.ms, 50));
  }
}

/** The bot is paused: no worker takes a job of the queue for `ms`; this one goes back to the front of the queue, its attempt unspent. */
async function pauseAll(deps: DeliverTelegramDeps, ms: number): Promise<RateLimitError> {
  await deps.pauseQueue(ms);
  return new RateLimitError();
}

/** Invitations and reminders get a delivery-log row (replies to the citizen do not). */
async function logOutcome(db: Db, p: OutboundJob, job: Job, status: 'sent' | 'failed', reason?: string): Promise<void> {
  if (p.kind === 'reply') return;
  await logDelivery(db, { channel: 'telegram', kind: p.kind, recipient: p.userRef, invitationId: p.invitationId, status, attempts: job.attemptsMade + 1, at: new Date(), ...(reason ? { errorCode: 'unreachable', errorMessage: reason } : {}) });
}
