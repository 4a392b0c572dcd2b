import { DelayedError, RateLimitError, UnrecoverableError, type Job } from 'bullmq';
import type { ZaloFailure } from './classify-zalo-error.js';

/** What a BullMQ job should do after a classified Zalo failure. */
export type ZaloJobDecision =
  /** Throw a plain error: BullMQ retries with the queue's backoff and counts the attempt. */
  | { action: 'retry' }
  /** Move the job to "delayed" until `untilMs` without spending an attempt (night window). */
  | { action: 'delay'; untilMs: number }
  /** The whole OA is rate limited: pause the queue (or delay this job) for `ms`. */
  | { action: 'rate_limit'; ms: number }
  /** Permanent: `UnrecoverableError`, no further attempts. */
  | { action: 'give_up'; reason: string };

export type DecideOptions = { attemptsMade: number; attemptsStarted: number; now: number; maxUnknownAttempts?: number; maxStarts?: number };

/** Pure decision table from failure class to job behaviour. */
export function decideZaloJob(failure: ZaloFailure, o: DecideOptions): ZaloJobDecision {
  // Delays do not spend attempts; cap the total so a job cannot bounce forever.
  if (o.attemptsStarted >= (o.maxStarts ?? 50)) return { action: 'give_up', reason: `too many starts (${failure.kind})` };
  switch (failure.kind) {
    case 'night':
      return { action: 'delay', untilMs: failure.retryAt.getTime() };
    case 'rate_limited':
      return { action: 'rate_limit', ms: failure.retryAfterMs };
    case 'silent':
    case 'unreachable':
    case 'undeliverable':
      return { action: 'give_up', reason: failure.kind };
    case 'token':
    case 'retryable':
      return o.attemptsMade + 1 >= (o.maxUnknownAttempts ?? 5) ? { action: 'give_up', reason: `${failure.kind} after ${o.attemptsMade + 1} attempts` } : { action: 'retry' };
  }
}

/** The error a Zalo job throws; carries the class and code only (no recipient, no text). */
export class ZaloJobError extends Error {
  constructor(readonly failure: Pick<ZaloFailure, 'kind' | 'code'>) {
    super(`zalo ${failure.kind}${failure.code === null ? '' : ` (error ${failure.code})`}`);
    this.name = 'ZaloJobError';
  }
}

export type SettleOptions = {
  now?: () => number;
  maxUnknownAttempts?: number;
  /** Pause the whole OA queue, e.g. `(ms) => queue.rateLimit(ms)`; without it only this job is delayed. */
  rateLimit?: (ms: number) => Promise<void>;
};

/**
 * Ends a BullMQ processor after a Zalo failure, with BullMQ's semantics: throws
 * `UnrecoverableError` (give up), `DelayedError` after moving the job (night / rate
 * limit), `RateLimitError` after pausing the queue, or a plain `ZaloJobError` (retry).
 * The caller records permanent outcomes (unreachable user, undeliverable invitation) first.
 */
export async function settleZaloJobFailure(failure: ZaloFailure, job: Job, options: SettleOptions = {}): Promise<never> {
  const now = (options.now ?? Date.now)();
  const decision = decideZaloJob(failure, {
    attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted,
    now,
    ...(options.maxUnknownAttempts !== undefined ? { maxUnknownAttempts: options.maxUnknownAttempts } : {}),
  });
  const error = new ZaloJobError(failure);
  switch (decision.action) {
    case 'give_up':
      throw new UnrecoverableError(`${error.message}: ${decision.reason}`);
    case 'delay':
      await job.moveToDelayed(decision.untilMs, job.token);
      throw new DelayedError(error.message);
    case 'rate_limit':
      if (options.rateLimit) {
        await options.rateLimit(decision.ms);
        throw new RateLimitError(); // BullMQ recognises it by its default message
      }
      await job.moveToDelayed(now + decision.ms, job.token);
      throw new DelayedError(error.message);
    case 'retry':
      throw error;
  }
}
