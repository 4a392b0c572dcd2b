import type { ConversationService } from '../../conversations/conversation-service.js';
import { telegramUpdateSchema } from './telegram-update-schema.js';
import { toInbound } from './to-inbound.js';

/**
 * A button press is answered in the webhook's own response (the Bot API runs a method
 * named in the reply to a webhook), so the button's spinner stops at once instead of
 * waiting for the chat's outbound job behind the bot-wide queue, and it costs no call.
 * Telegram does not report that call's result; a stale query simply stays unanswered.
 * The body carries only the method and its parameters, which is all the Bot API reads.
 */
const answerCallbackInReply = (callbackQueryId: string) => ({ method: 'answerCallbackQuery', callback_query_id: callbackQueryId });

/** What one webhook delivery amounts to; `reply` is the response body Telegram should get on success. */
export type TelegramDelivery =
  | { kind: 'invalid'; issues: { path: string; message: string }[] }
  | { kind: 'ignored'; reason: string; reply?: object }
  | { kind: 'apply'; reply?: object; apply: () => Promise<string> };

/** Validates and translates one update; applying it is the conversation service's step. */
export function receiveTelegramUpdate(conversations: ConversationService, body: unknown): TelegramDelivery {
  const parsed = telegramUpdateSchema.safeParse(body);
  if (!parsed.success) return { kind: 'invalid', issues: parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })) };
  const inbound = toInbound(parsed.data);
  const reply = inbound.callbackQueryId ? answerCallbackInReply(inbound.callbackQueryId) : undefined;
  if (inbound.kind === 'ignored') return { kind: 'ignored', reason: inbound.reason, ...(reply ? { reply } : {}) };
  return {
    kind: 'apply',
    ...(reply ? { reply } : {}),
    apply: async () => (await conversations.handle({ channel: 'telegram', userRef: inbound.userRef, eventId: inbound.eventId, input: inbound.input })).outcome,
  };
}
