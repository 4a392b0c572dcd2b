import type { DefaultJobOptions } from 'bullmq';

/**
 * BullMQ gives a job one attempt unless told otherwise: every queue starts from these
 * defaults (5 attempts, exponential backoff from 1 s). Payloads hold chat ids and answers
 * only as long as the job needs them: a finished job is deleted at once, and a job that
 * failed for good keeps its id and reason (for operators and the chat lanes) but not its
 * payload (see start-workers.ts), for a week.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};
