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
