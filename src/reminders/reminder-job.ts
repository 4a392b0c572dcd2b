import { z } from 'zod';
import { defineJob } from '../queues/define-job.js';
import { QUEUE } from '../queues/queue-names.js';

/** A delayed job that feeds a `timer` event to the citizen's conversation. */
export const reminderJobSchema = z.object({
  jobKey: z.string().min(1).max(120),
  channel: z.enum(['telegram', 'zalo', 'simulator']),
  userRef: z.string().min(1).max(64),
  responseId: z.uuid(),
});
export type ReminderJob = z.infer<typeof reminderJobSchema>;

export const reminderJob = defineJob({
  queue: QUEUE.reminders,
  name: 'remind',
  schema: reminderJobSchema,
  jobId: (p) => `rem-${p.jobKey.replace(/[^A-Za-z0-9_-]/g, '_')}`,
});
