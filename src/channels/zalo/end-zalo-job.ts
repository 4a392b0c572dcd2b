import type { Job } from 'bullmq';
import type { ZaloFailure } from './classify-zalo-error.js';
import { decideZaloJob, settleZaloJobFailure } from './settle-zalo-job-failure.js';

/**
 * Ends a Zalo job after a failure: runs `onGiveUp` first when the failure is final
 * (so the caller records it), then lets BullMQ retry, delay or fail the job. The night
 * window is measured on the product clock by the client; the delay is re-anchored on
 * real time because BullMQ schedules on real time.
 */
export async function endZaloJob(job: Job, failure: ZaloFailure, onGiveUp: (failure: ZaloFailure) => Promise<void>): Promise<never> {
  const f: ZaloFailure = failure.kind === 'night' ? { ...failure, retryAt: new Date(Date.now() + failure.delayMs) } : failure;
  const decision = decideZaloJob(f, { attemptsMade: job.attemptsMade, attemptsStarted: job.attemptsStarted, now: Date.now() });
  if (decision.action === 'give_up') await onGiveUp(f);
  // No queue-wide pause on -32: BullMQ workers sleep through a queue rate limit in chunks of up
  // to 30 s that nothing can cut short; the job alone is delayed and the limiter paces the rest.
  return settleZaloJobFailure(f, job);
}

/** "error -230" or "local": the code part of reasons and log rows. */
export const zaloErrorCode = (f: Pick<ZaloFailure, 'code'>): string => (f.code === null ? 'local' : String(f.code));
