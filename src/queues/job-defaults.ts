import type { DefaultJobOptions } from 'bullmq';

/**
 * BullMQ gives a job one attempt unless told otherwise: every queue starts from
 * these defaults (5 attempts, exponential backoff from 1 s), and keeps a bounded
 * history so Redis does not grow without limit.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};
