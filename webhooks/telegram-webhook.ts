import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { safeEqual } from '../src/auth/api-key-format.js';
import { receiveTelegramUpdate } from '../src/channels/telegram/receive-telegram-update.js';
import type { ConversationService } from '../src/conversations/conversation-service.js';
import type { AppContext } from '../src/core/app-context.js';
import { AppError } from '../src/core/app-error.js';
import { acknowledge, webhookMeter } from './webhook-outcome.js';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * `POST /webhooks/telegram`: verify the secret, hand the update to the Telegram slice,
 * answer (with a button press's answerCallbackQuery as the response body).
 * 200 means "applied or deliberately ignored"; any failure before the session write
 * answers 5xx so Telegram retries (and its per-chat ordering holds later updates back).
 */
export function telegramWebhook(ctx: AppContext, conversations: ConversationService, webhookSecret: string): FastifyPluginAsync {
  return async (app) => {
    // The secret is checked before the body is read: strangers cost no parsing.
    const onRequest = async (req: FastifyRequest) => {
      const given = req.headers[SECRET_HEADER];
      if (typeof given !== 'string' || !safeEqual(given, webhookSecret)) {
        ctx.metrics.webhookUpdates.inc({ channel: 'telegram', outcome: 'unauthorized' });
        throw AppError.unauthenticated('missing or wrong X-Telegram-Bot-Api-Secret-Token');
      }
    };

    app.post('/webhooks/telegram', { bodyLimit: 256 * 1024, onRequest }, async (req, reply) => {
      const count = webhookMeter(ctx.metrics, 'telegram');
      const delivery = receiveTelegramUpdate(conversations, req.body);
      switch (delivery.kind) {
        case 'invalid':
          count('invalid');
          throw AppError.invalid('not a Telegram update', delivery.issues);
        case 'ignored':
          count('ignored');
          return reply.status(200).send(delivery.reply ?? { ok: true, ignored: delivery.reason });
        case 'apply':
          return acknowledge(reply, count, delivery.apply, delivery.reply);
      }
    });
  };
}
