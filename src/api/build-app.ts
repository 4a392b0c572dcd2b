import { createServer } from 'node:http';
import underPressure from '@fastify/under-pressure';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { authenticate } from '../auth/authenticate.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { EpisodeLog } from '../observability/episode-log.js';
import { createErrorHandler } from './error-handler.js';
import { healthRoutes } from './health-routes.js';

export type RouteModule = { prefix?: string; plugin: FastifyPluginAsync };

/** Whole requests (headers and body) must arrive within this; slow-body senders cannot hold sockets. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node looks for requests past their timeout (its sweep; the default is 30 s). */
const TIMEOUT_SWEEP_MS = 1_000;
const API_PATH = /^\/api\/v1(?:[/?]|$)/;
/** Event-loop lag past which requests are shed with 503 + Retry-After rather than queued. */
export const MAX_EVENT_LOOP_DELAY_MS = 1_000;

/**
 * Builds the HTTP app from named route modules; listening and shutdown belong to the
 * caller. Request logging is off: per-request lines would cost throughput and risk
 * personal data; metrics count requests instead.
 */
export async function buildApp(ctx: AppContext, modules: RouteModule[]): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    routerOptions: { ignoreTrailingSlash: true },
    connectionTimeout: 2 * REQUEST_TIMEOUT_MS,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
    // Node enforces request and header timeouts by a sweep, and cuts a socket up to two
    // sweeps after its deadline; set at creation (not after, as fastify's own option is), two
    // sweeps short of the limit and swept every second, a slow-body socket is cut at 30 s.
    serverFactory: (handler) =>
      createServer({ requestTimeout: REQUEST_TIMEOUT_MS - 2 * TIMEOUT_SWEEP_MS, headersTimeout: REQUEST_TIMEOUT_MS - 2 * TIMEOUT_SWEEP_MS, connectionsCheckingInterval: TIMEOUT_SWEEP_MS }, handler),
  });
  // A request no route takes is refused before its body is read, and the connection closed
  // so that Node does not read the rest of the body either. Under /api/v1 a caller without a
  // valid key gets the routed routes' 401 (which paths exist is not told to strangers).
  app.addHook('onRequest', async (req, reply) => {
    if (!req.is404) return;
    if (API_PATH.test(req.url) && !(await authenticate(ctx.db, ctx.config.adminApiKey, req.headers.authorization))) throw AppError.unauthenticated();
    return reply.status(404).header('connection', 'close').send({ error: { code: 'not_found', message: 'no such route' } });
  });
  app.setErrorHandler(createErrorHandler({ metrics: ctx.metrics, episodes: new EpisodeLog(ctx.logger) }));
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: { code: 'not_found', message: 'no such route' } }));
  await app.register(underPressure, {
    maxEventLoopDelay: MAX_EVENT_LOOP_DELAY_MS,
    retryAfter: 5,
    pressureHandler: (_req, reply, type, value) => {
      ctx.metrics.shed.inc();
      void reply
        .status(503)
        .header('retry-after', '5')
        .send({ error: { code: 'overloaded', message: `the service is overloaded (${type} ${Math.round(Number(value))}); try again shortly` } });
    },
  });
  await app.register(healthRoutes(ctx));
  for (const m of modules) await app.register(m.plugin, m.prefix ? { prefix: m.prefix } : {});
  await app.ready();
  return app;
}
