import { z } from 'zod';
import { effectSchema } from '../conversation/effects.js';
import { defineJob } from '../queues/define-job.js';
import { QUEUE } from '../queues/queue-names.js';

/**
 * The effects of one applied event, persisted in one transaction. `respondent` links the
 * response to the channel identity so a session lost from Redis can be rebuilt; it never
 * leaves the database.
 */
export const answersJobSchema = z.object({
  batchId: z.string().min(1).max(200),
  respondent: z.object({ channel: z.enum(['telegram', 'zalo', 'simulator']), externalId: z.string().min(1).max(64) }).optional(),
  effects: z.array(effectSchema).min(1),
});
export type AnswersJob = z.infer<typeof answersJobSchema>;

export const persistEffectsJob = defineJob({
  queue: QUEUE.answers,
  name: 'persist-effects',
  schema: answersJobSchema,
  jobId: (p) => `eff-${p.batchId}`,
  // Answers are the product's data: ride out a database outage of about an hour (1 s … 34 min).
  options: { attempts: 12, backoff: { type: 'exponential', delay: 1000 } },
});
