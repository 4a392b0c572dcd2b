import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ApiError } from '../src/api/api-error.js';
import { safeEqual } from '../src/auth/api-key-format.js';
import { toInbound } from '../src/channels/telegram/to-inbound.js';
import { telegramUpdateSchema } from '../src/channels/telegram/telegram-update-schema.js';
import type { ConversationService } from '../src/conversations/conversation-service.js';
import type { AppContext } from '../src/core/app-context.js';
import { acknowledge, webhookMeter } from './webhook-outcome.js';

const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * A button press is answered in the webhook's own response (the Bot API runs a method
 * named in the reply to a webhook), so the button's spinner stops at once instead of
 * waiting for the chat's outbound job behind the bot-wide queue, and it costs no call.
 * Telegram does not report that call's result; a stale query simply stays unanswered.
 * The body carries only the method and its parameters, which is all the Bot API reads.
 */
const answerCallbackInReply = (callbackQueryId: string) => ({ method: 'answerCallbackQuery', callback_query_id: callbackQueryId });

/**
 * `POST /webhooks/telegram`: verify the secret, validate, translate, apply, answer
 * (with the button press's answerCallbackQuery as the response body).
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
        throw ApiError.unauthorized('missing or wrong X-Telegram-Bot-Api-Secret-Token');
      }
    };

    app.post('/webhooks/telegram', { bodyLimit: 256 * 1024, onRequest }, async (req, reply) => {
      const count = webhookMeter(ctx.metrics, 'telegram');
      const parsed = telegramUpdateSchema.safeParse(req.body);
      if (!parsed.success) {
        count('invalid');
        throw ApiError.badRequest('not a Telegram update', parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message })));
      }
      const inbound = toInbound(parsed.data);
      const answer = inbound.callbackQueryId ? answerCallbackInReply(inbound.callbackQueryId) : undefined;
      if (inbound.kind === 'ignored') {
        count('ignored');
        return reply.status(200).send(answer ?? { ok: true, ignored: inbound.reason });
      }
      return acknowledge(reply, count, async () => {
        const result = await conversations.handle({ channel: 'telegram', userRef: inbound.userRef, eventId: inbound.eventId, input: inbound.input });
        return result.outcome;
      }, answer);
    });
  };
}
