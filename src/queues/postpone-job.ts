import { DelayedError, type Job } from 'bullmq';

/** Puts a running job back to wait `ms` (real time), without spending an attempt. */
export async function postponeJob(job: Job, token: string | undefined, ms: number): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}
