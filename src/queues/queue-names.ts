/** Queue names; the Redis prefix (hash-tagged) comes from configuration. */
export const QUEUE = {
  answers: 'answers',
  outboundTelegram: 'outbound-telegram',
  outboundZalo: 'outbound-zalo',
  outboundSimulator: 'outbound-simulator',
  reminders: 'reminders',
  invitations: 'invitations',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUE)[keyof typeof QUEUE];

/**
 * Jobs that failed for good on a queue whose policy says so (see QUEUE_POLICIES): kept
 * here, never processed, until `npm run dead-letters -- replay` puts them back.
 */
export const DEAD_LETTER_QUEUE = 'dead-letter';
