import { z } from 'zod';
import { outboundMessageSchema } from '../engine/outbound-message.js';
import { defineJob } from '../queues/define-job.js';
import { QUEUE } from '../queues/queue-names.js';

/**
 * Replies to one event, sent in order by one job. `userRef` is the platform id; it lives
 * in Redis job data only. Jobs of one chat are sent in the order of `seq`, numbered at
 * enqueue by `enqueueOutbound` (see chat-lanes.ts); a job without it is sent unordered.
 */
export const outboundJobSchema = z.object({
  batchId: z.string().min(1).max(200),
  userRef: z.string().min(1).max(64),
  messages: z.array(outboundMessageSchema),
  /** invitation | reminder | reply: what the delivery log records. */
  kind: z.enum(['reply', 'invitation', 'reminder']).default('reply'),
  invitationId: z.string().optional(),
  /** Per-chat sequence number: assigned by enqueueOutbound, never by callers. */
  seq: z.number().int().positive().optional(),
});
export type OutboundJob = z.infer<typeof outboundJobSchema>;

const outboundJobFor = (queue: string) =>
  defineJob({ queue, name: 'send', schema: outboundJobSchema, jobId: (p) => `out-${p.batchId}` });

export const outboundJobs = {
  telegram: outboundJobFor(QUEUE.outboundTelegram),
  zalo: outboundJobFor(QUEUE.outboundZalo),
  simulator: outboundJobFor(QUEUE.outboundSimulator),
} as const;
