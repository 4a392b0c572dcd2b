import { AppError } from '../core/app-error.js';
import type { CreateInvitationRequest } from './create-invitation-request.js';
import { InvalidPhoneError, normalizeVietnamesePhone } from './normalize-vietnamese-phone.js';

export type RecipientFields = { recipientPhone: string | null; recipientChatId: string | null; recipientZaloId: string | null };

/**
 * The recipient columns of an invitation on `channel`, checked: a phone is normalised (or
 * refused), and a Telegram invitation needs a chat id, since a bot cannot reach a phone.
 */
export function recipientFields(channel: string, recipient: CreateInvitationRequest['recipient']): RecipientFields {
  let phone: string | null = null;
  if (recipient?.phone) {
    try {
      phone = normalizeVietnamesePhone(recipient.phone);
    } catch (err) {
      if (err instanceof InvalidPhoneError) throw new AppError('unprocessable', 'invalid_phone', err.message);
      throw err;
    }
  }
  if (channel === 'telegram' && recipient && !recipient.telegramChatId) {
    throw new AppError('unprocessable', 'unreachable_recipient', 'Telegram cannot reach a citizen by phone number: give telegramChatId, or send the link or QR code another way (no recipient)');
  }
  return { recipientPhone: phone, recipientChatId: recipient?.telegramChatId ?? null, recipientZaloId: recipient?.zaloUserId ?? null };
}

export const hasRecipient = (r: RecipientFields) => Boolean(r.recipientPhone || r.recipientChatId || r.recipientZaloId);
