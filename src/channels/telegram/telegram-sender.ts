import { type OutboundMessage } from '../../engine/index.js';
import { Api, GrammyError, HttpError } from 'grammy';
import type { RedisClient } from '../../queues/redis-connection.js';
import { userHash } from '../../core/user-hash.js';
import { renderTelegram } from './render-telegram.js';

/** Telegram asked us to slow down; the job is retried after `retryAfterMs`. */
export class TelegramRateLimited extends Error {
  constructor(readonly retryAfterMs: number) {
    super(`telegram rate limit, retry after ${retryAfterMs} ms`);
    this.name = 'TelegramRateLimited';
  }
}

/** The chat cannot be reached (blocked the bot, deleted account): retrying cannot help. */
export class TelegramRecipientGone extends Error {
  override name = 'TelegramRecipientGone';
}

const PROMPT_TTL_S = 45 * 24 * 3600;

/**
 * Performs rendered calls through grammY's Api (pointed at TELEGRAM_API_ROOT). Remembers
 * which message asked each question so a typed answer can still retire that keyboard.
 */
export class TelegramSender {
  readonly api: Api;

  constructor(
    token: string,
    apiRoot: string,
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {
    this.api = new Api(token, { apiRoot });
  }

  private promptKey(chatId: string, questionCode: string) {
    return `${this.prefix}:tgq:${userHash({ channel: 'telegram', userRef: chatId })}:${questionCode}`;
  }

  /** Sends one engine message; returns the Telegram message id when a message was sent. */
  async send(chatId: string, message: OutboundMessage): Promise<number | undefined> {
    const call = renderTelegram(message);
    try {
      switch (call.method) {
        case 'sendMessage': {
          const sent = await this.api.sendMessage(chatId, call.payload.text, call.payload.reply_markup ? { reply_markup: call.payload.reply_markup } : {});
          if (call.questionCode && call.payload.reply_markup) await this.redis.set(this.promptKey(chatId, call.questionCode), String(sent.message_id), 'EX', PROMPT_TTL_S);
          return sent.message_id;
        }
        case 'editMessageText':
          await this.api.editMessageText(chatId, Number(call.messageId), call.payload.text, call.payload.reply_markup ? { reply_markup: call.payload.reply_markup } : {});
          return undefined;
        case 'editMessageReplyMarkup': {
          const messageId = call.messageId ?? (await this.redis.get(this.promptKey(chatId, call.questionCode)));
          if (!messageId) return undefined;
          await this.api.editMessageReplyMarkup(chatId, Number(messageId), { reply_markup: call.payload.reply_markup });
          return undefined;
        }
      }
    } catch (err) {
      const mapped = this.classify(err);
      if (mapped === null) return undefined;
      throw mapped;
    }
  }

  private classify(err: unknown): unknown {
    if (err instanceof GrammyError) {
      if (err.error_code === 429) return new TelegramRateLimited(((err.parameters.retry_after ?? 1) as number) * 1000);
      // Editing to identical content, or a message too old to edit: the chat already shows what we wanted.
      if (err.error_code === 400 && /message is not modified|message to edit not found|message can't be edited/i.test(err.description)) return null;
      if (err.error_code === 403 || (err.error_code === 400 && /chat not found|user is deactivated/i.test(err.description))) return new TelegramRecipientGone(err.description);
      return new Error(`telegram ${err.error_code}: ${err.description}`);
    }
    if (err instanceof HttpError) return new Error(`telegram network error: ${err.message}`);
    return err;
  }
}
