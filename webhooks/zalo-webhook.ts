import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AppError } from '../src/core/app-error.js';
import { handleZaloEvent } from '../src/channels/zalo/handle-zalo-event.js';
import { toZaloInbound } from '../src/channels/zalo/to-zalo-inbound.js';
import { verifyZaloSignature } from '../src/channels/zalo/verify-zalo-signature.js';
import { parseZaloEvent } from '../src/channels/zalo/zalo-webhook-schema.js';
import type { ZaloConfig } from '../src/config/load-config.js';
import type { ConversationService } from '../src/conversations/conversation-service.js';
import type { AppContext } from '../src/core/app-context.js';
import { EpisodeLog } from '../src/observability/episode-log.js';
import { acknowledge, webhookMeter } from './webhook-outcome.js';

const SIGNATURE_HEADER = 'x-zevent-signature';

/**
 * `POST /webhooks/zalo`: verify the MAC over the raw bytes, validate, translate, apply,
 * answer 200 (Zalo wants an answer within 2 s and retries otherwise).
 * - missing/wrong signature, foreign app_id, stale timestamp → 401, nothing recorded;
 * - a correctly signed body that is not a valid event → 200 and counted as "invalid":
 *   Zalo would retry a 4xx forever, and the same bytes can never become valid;
 * - a failure before the session write → 5xx, so Zalo delivers again (the session
 *   envelope dedupes on msg_id, so a retry never applies an event twice).
 */
export function zaloWebhook(ctx: AppContext, conversations: ConversationService, zalo: ZaloConfig): FastifyPluginAsync {
  return async (app) => {
    // This plugin's own scope: the body stays the exact bytes Zalo signed, whatever the content type.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    // A flood of forged deliveries is one log line per episode, not one per request (the counter counts them all).
    const refusals = new EpisodeLog(ctx.logger);
    const refuse = (reason: string) => {
      ctx.metrics.webhookUpdates.inc({ channel: 'zalo', outcome: 'unauthorized' });
      refusals.report(`zalo-refused:${reason}`, 'warn', { event: 'zalo.webhook_refused', reason }, 'Zalo webhook delivery refused');
      return AppError.unauthenticated(`X-ZEvent-Signature refused (${reason})`);
    };
    // Strangers without a signature cost no body reading.
    const onRequest = async (req: FastifyRequest) => {
      if (!req.headers[SIGNATURE_HEADER]) throw refuse('missing');
    };

    app.post('/webhooks/zalo', { bodyLimit: 256 * 1024, onRequest }, async (req, reply) => {
      const count = webhookMeter(ctx.metrics, 'zalo');
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const signature = verifyZaloSignature({
        rawBody: raw,
        header: req.headers[SIGNATURE_HEADER],
        oaSecretKey: zalo.oaSecretKey,
        expectedAppId: zalo.appId,
        maxAgeMs: zalo.webhookMaxAgeSeconds * 1000,
        now: ctx.now().getTime(),
      });
      if (!signature.ok) throw refuse(signature.reason);

      const parsed = parseZaloEvent(JSON.parse(raw.toString('utf8')));
      if (!parsed.ok) {
        count('invalid');
        // Field paths only: messages of the body never reach the log.
        ctx.logger.warn({ event: 'zalo.webhook_invalid', paths: parsed.issues.slice(0, 5).map((i) => i.path) }, 'Signed Zalo event does not match the schema; ignored');
        return reply.status(200).send({ ok: true, ignored: 'invalid event' });
      }
      return acknowledge(reply, count, () => handleZaloEvent(ctx, conversations, toZaloInbound(parsed.event, raw)));
    });
  };
}
