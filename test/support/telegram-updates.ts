import type { FastifyInstance } from 'fastify';
import { TEST_TG_SECRET } from './start-product.js';

let nextUpdateId = 100_000;
const now = () => Math.floor(Date.now() / 1000);

/** Real-shaped Bot API updates for a private chat (user id = chat id, as Telegram does). */
export const tgUpdate = {
  text(chatId: number, text: string, updateId = nextUpdateId++) {
    const user = { id: chatId, is_bot: false, first_name: 'Công dân', language_code: 'vi' };
    return { update_id: updateId, message: { message_id: updateId, from: user, chat: { id: chatId, first_name: 'Công dân', type: 'private' }, date: now(), text, ...(text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(' ')[0]!.length, type: 'bot_command' }] } : {}) } };
  },
  callback(chatId: number, data: string, messageId: number, updateId = nextUpdateId++) {
    const user = { id: chatId, is_bot: false, first_name: 'Công dân', language_code: 'vi' };
    return {
      update_id: updateId,
      callback_query: {
        id: `cq${updateId}`,
        from: user,
        chat_instance: '-123',
        data,
        message: { message_id: messageId, from: { id: 42, is_bot: true, first_name: 'SIPAS' }, chat: { id: chatId, type: 'private' }, date: now(), text: '…' },
      },
    };
  },
  contact(chatId: number, phone: string, updateId = nextUpdateId++) {
    const user = { id: chatId, is_bot: false, first_name: 'Công dân' };
    return { update_id: updateId, message: { message_id: updateId, from: user, chat: { id: chatId, type: 'private' }, date: now(), contact: { phone_number: phone, first_name: 'Công dân', user_id: chatId } } };
  },
  nextId: () => nextUpdateId++,
};

/** `secret: null` sends no secret header. */
export async function postUpdate(app: FastifyInstance, update: unknown, secret: string | null = TEST_TG_SECRET) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }) },
    payload: typeof update === 'string' ? update : JSON.stringify(update),
  });
}
