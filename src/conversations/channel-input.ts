/** A channel's translation of one platform event, before start payloads are resolved. */
export type ChannelInput =
  | { type: 'start'; payload?: string; shortCode?: string }
  | { type: 'text'; text: string }
  | { type: 'choice'; questionCode: string; value: string; messageId?: string }
  | { type: 'contact'; phone: string }
  | { type: 'stop' }
  | { type: 'help' }
  | { type: 'back' }
  | { type: 'timer'; responseId: string };
