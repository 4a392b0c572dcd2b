/** Real-shaped Bot API updates for a private chat (user id = chat id, as Telegram does). */

const user = (chatId: number) => ({ id: chatId, is_bot: false, first_name: 'Công dân', language_code: 'vi' });

export function textUpdate(updateId: number, chatId: number, text: string, date: number) {
  const command = text.startsWith('/') ? { entities: [{ offset: 0, length: text.split(' ')[0]!.length, type: 'bot_command' }] } : {};
  return {
    update_id: updateId,
    message: { message_id: updateId, from: user(chatId), chat: { id: chatId, first_name: 'Công dân', type: 'private' }, date, text, ...command },
  };
}

export function callbackUpdate(updateId: number, chatId: number, data: string, messageId: number, date: number) {
  return {
    update_id: updateId,
    callback_query: {
      id: `${chatId}${updateId}`,
      from: user(chatId),
      chat_instance: `-${chatId}`,
      data,
      message: { message_id: messageId, from: { id: 42, is_bot: true, first_name: 'SIPAS', username: 'sipas_bench_bot' }, chat: { id: chatId, first_name: 'Công dân', type: 'private' }, date, text: '…' },
    },
  };
}
