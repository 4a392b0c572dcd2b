import { type MessageOption, type OutboundMessage } from '../../engine/index.js';
import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';

/** Pressing it does nothing: it only shows which answer was chosen. */
export const NOOP_CALLBACK = 'noop';
export const TELEGRAM_TEXT_LIMIT = 4096;

function buttonText(o: MessageOption): string {
  const prefix = o.number ? `${o.number}. ` : '';
  return `${o.selected ? '✅ ' : ''}${prefix}${o.label}`.slice(0, 120);
}

/** Answer options one per row (Vietnamese labels are long), controls side by side below. */
export function inlineKeyboard(options: MessageOption[] | undefined): InlineKeyboardMarkup | undefined {
  if (!options?.length) return undefined;
  const answers = options.filter((o) => o.role === 'answer').map((o): InlineKeyboardButton[] => [{ text: buttonText(o), callback_data: o.data }]);
  const controls = options.filter((o) => o.role === 'control').map((o): InlineKeyboardButton => ({ text: buttonText(o), callback_data: o.data }));
  return { inline_keyboard: controls.length ? [...answers, controls] : answers };
}

/** The keyboard left on an answered question: one inert button naming the choice. */
export function chosenKeyboard(label: string | null): InlineKeyboardMarkup {
  return { inline_keyboard: label ? [[{ text: `✔️ ${label}`.slice(0, 120), callback_data: NOOP_CALLBACK }]] : [] };
}

export type TelegramCall =
  | { method: 'sendMessage'; questionCode?: string; payload: { text: string; reply_markup?: InlineKeyboardMarkup } }
  | { method: 'editMessageText'; messageId: string; payload: { text: string; reply_markup?: InlineKeyboardMarkup } }
  | { method: 'editMessageReplyMarkup'; messageId?: string; questionCode: string; payload: { reply_markup: InlineKeyboardMarkup } };

/** Engine messages → Bot API calls (pure; the sender performs them). */
export function renderTelegram(message: OutboundMessage): TelegramCall {
  if (message.type === 'close_keyboard') {
    return { method: 'editMessageReplyMarkup', questionCode: message.questionCode, ...(message.messageId ? { messageId: message.messageId } : {}), payload: { reply_markup: chosenKeyboard(message.chosenLabel) } };
  }
  const text = message.text.length > TELEGRAM_TEXT_LIMIT ? message.text.slice(0, TELEGRAM_TEXT_LIMIT - 1) + '…' : message.text;
  const reply_markup = inlineKeyboard(message.options);
  const payload = { text, ...(reply_markup ? { reply_markup } : {}) };
  if (message.editMessageId) return { method: 'editMessageText', messageId: message.editMessageId, payload };
  return { method: 'sendMessage', ...(message.questionCode ? { questionCode: message.questionCode } : {}), payload };
}
