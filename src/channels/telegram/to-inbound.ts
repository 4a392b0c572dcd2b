import { decodeCallbackData } from '../../engine/index.js';
import type { TelegramUpdate } from './telegram-update-schema.js';

/** A Telegram update translated for the conversation layer; `start` still needs resolving. */
export type TelegramInbound =
  | { kind: 'ignored'; reason: string; callbackQueryId?: string }
  | {
      kind: 'event';
      userRef: string;
      eventId: string;
      callbackQueryId?: string;
      input:
        | { type: 'start'; payload?: string }
        | { type: 'text'; text: string }
        | { type: 'choice'; questionCode: string; value: string; messageId?: string }
        | { type: 'contact'; phone: string }
        | { type: 'stop' }
        | { type: 'help' }
        | { type: 'back' };
    };

const COMMAND = /^\/([a-z_]+)(?:@[A-Za-z0-9_]+)?(?:\s+(.*))?$/is;

/** Only private chats take part: a survey in a group would not be anonymous. */
export function toInbound(update: TelegramUpdate): TelegramInbound {
  const eventId = `tg${update.update_id}`;
  const cq = update.callback_query;
  if (cq) {
    if (!cq.message || cq.message.chat.type !== 'private') return { kind: 'ignored', reason: 'callback outside a private chat', callbackQueryId: cq.id };
    const messageId = String(cq.message.message_id);
    const choice = cq.data ? decodeCallbackData(cq.data, messageId) : null;
    if (!choice) return { kind: 'ignored', reason: 'callback data not ours', callbackQueryId: cq.id };
    return { kind: 'event', userRef: String(cq.message.chat.id), eventId, callbackQueryId: cq.id, input: { ...choice, messageId } };
  }
  const m = update.message;
  if (!m) return { kind: 'ignored', reason: 'update type not used' };
  if (m.chat.type !== 'private') return { kind: 'ignored', reason: 'not a private chat' };
  const userRef = String(m.chat.id);
  if (m.contact) {
    // Only the citizen's own number counts, not a forwarded contact card.
    if (m.contact.user_id !== undefined && m.contact.user_id !== m.from?.id) return { kind: 'ignored', reason: 'contact of someone else' };
    return { kind: 'event', userRef, eventId, input: { type: 'contact', phone: m.contact.phone_number } };
  }
  if (m.text === undefined) return { kind: 'event', userRef, eventId, input: { type: 'text', text: '' } };
  const cmd = COMMAND.exec(m.text.trim());
  if (cmd) {
    const name = cmd[1]!.toLowerCase();
    if (name === 'start') return { kind: 'event', userRef, eventId, input: { type: 'start', ...(cmd[2] ? { payload: cmd[2].trim() } : {}) } };
    if (name === 'stop') return { kind: 'event', userRef, eventId, input: { type: 'stop' } };
    if (name === 'help') return { kind: 'event', userRef, eventId, input: { type: 'help' } };
    if (name === 'back') return { kind: 'event', userRef, eventId, input: { type: 'back' } };
  }
  return { kind: 'event', userRef, eventId, input: { type: 'text', text: m.text } };
}
