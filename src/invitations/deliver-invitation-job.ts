import { z } from 'zod';
import { defineJob } from '../queues/define-job.js';
import { QUEUE } from '../queues/queue-names.js';

/** Deliver one invitation to the recipient it names (chat id, Zalo user id or phone). */
export const deliverInvitationJob = defineJob({
  queue: QUEUE.invitations,
  name: 'deliver',
  schema: z.object({ invitationId: z.uuid() }),
  jobId: (p) => `inv-${p.invitationId}`,
});
