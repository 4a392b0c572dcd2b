import { z } from 'zod';
import { effectSchema } from '../engine/effects.js';
import { defineJob } from './define-job.js';
import { QUEUE } from './queue-names.js';

/**
 * The persisted effects of one applied event (one session write). `respondent` links the
 * response to the channel identity so a session lost from Redis can be rebuilt; it never
 * leaves the database.
 */
export const answersItemSchema = z.object({
  outboxId: z.string().min(1).max(200),
  respondent: z.object({ channel: z.enum(['telegram', 'zalo', 'simulator']), externalId: z.string().min(1).max(64) }).optional(),
  effects: z.array(effectSchema).min(1),
});
export type AnswersItem = z.infer<typeof answersItemSchema>;

/** Most items in one job: bounds the payload (a few hundred KiB) and one transaction's size. */
export const MAX_ITEMS_PER_JOB = 250;

/**
 * Group commit: the items of every event applied while the previous hand-off to the
 * queue was in flight travel in one job and are persisted in one transaction
 * (see answers-batcher.ts and persist-batch.ts). The id is random because the same
 * item may legitimately be handed over twice (an outbox re-flushed after a crash):
 * the database writes are idempotent, so a job id must never drop a batch.
 */
export const answersJobSchema = z.object({
  batchId: z.string().min(1).max(200),
  items: z.array(answersItemSchema).min(1).max(MAX_ITEMS_PER_JOB),
});
export type AnswersJob = z.infer<typeof answersJobSchema>;

export const persistAnswersJob = defineJob({
  queue: QUEUE.answers,
  name: 'persist-answers',
  schema: answersJobSchema,
  jobId: (p) => `ans-${p.batchId}`,
  // Answers are the product's data: ride out a database outage of about an hour (1 s … 34 min).
  options: { attempts: 12, backoff: { type: 'exponential', delay: 1000 } },
});
