import { roundSamplingJob } from '../queues/job-catalog.js';
import type { JobQueues } from '../queues/job-queues.js';
import { QUEUE } from '../queues/queue-names.js';

export const SAMPLING_EVERY_MS = 60_000;

/** One schedule for the whole deployment (a shared scheduler id, whatever the number of processes). */
export async function scheduleRoundSampling(queues: JobQueues): Promise<void> {
  await queues.queue(QUEUE.maintenance).upsertJobScheduler(
    'round-sampling',
    { every: SAMPLING_EVERY_MS },
    { name: roundSamplingJob.name, data: {}, opts: { attempts: 3, removeOnComplete: 100, removeOnFail: 100 } },
  );
}

/** Runs the sampling work now (after an upload), besides the schedule. */
export const runSamplingSoon = (queues: JobQueues) => queues.add(roundSamplingJob, {}, { removeOnComplete: true, removeOnFail: 100 });
