import { z } from 'zod';
import { defineJob } from '../queues/define-job.js';
import { QUEUE } from '../queues/queue-names.js';

/**
 * Send one invitation as a ZNS template message to its phone. It runs on the OA's
 * outbound queue, so CS and ZNS sends share one rate limiter.
 */
export const znsInvitationJob = defineJob({
  queue: QUEUE.outboundZalo,
  name: 'zns-invitation',
  schema: z.object({ invitationId: z.uuid() }),
  jobId: (p) => `zns-${p.invitationId}`,
});
