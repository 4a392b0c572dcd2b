import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { registerAuthRoutes } from './auth-routes.js';
import { consoleGate } from './console-gate.js';
import { ConsoleSessions } from './console-session.js';
import { announceFirstAdminLink } from './first-admin.js';
import { LoginThrottle } from './login-throttle.js';
import { registerOverviewRoute } from './overview-route.js';
import { sendHtml } from './send-html.js';
import { ErrorPage } from './status-pages.js';
import { registerUsersRoutes } from './users-routes.js';
import { registerAdminRoutes } from './admin-routes.js';
import { registerRankingsRoutes } from './rankings-routes.js';
import { registerInvitationsRoutes } from './invitations-routes.js';
import { registerInvitationsBulkRoutes } from './invitations-bulk-routes.js';
import { registerUnitRoute } from './unit-route.js';
import { registerRoundsRoutes } from './rounds-routes.js';
import type { RoundEvents } from '../sampling/round-events.js';

const require = createRequire(import.meta.url);
/** Served under /assets/: our stylesheet and the browser builds of htmx and ECharts, from node_modules (no CDN). */
const ASSET_ROOTS = [join(dirname(fileURLToPath(import.meta.url)), 'assets'), dirname(require.resolve('htmx.org')), dirname(require.resolve('echarts'))];
const ASSET_FILES = new Set(['/console.css', '/htmx.min.js', '/echarts.min.js']);

/**
 * The web console: server-rendered pages with sessions in Redis, CSRF tokens on every
 * form, a strict Content-Security-Policy (no inline script or style) and throttled login.
 * Everything registered here is encapsulated: the JSON API keeps its own behaviour.
 */
export function consolePlugin(ctx: AppContext, deps: { roundEvents?: RoundEvents; onUnitsChanged?: () => Promise<void> } = {}): FastifyPluginAsync {
  return async (app) => {
    const idleMs = ctx.config.consoleSessionIdleMinutes * 60_000;
    const sessions = new ConsoleSessions(ctx.redis, ctx.config.redisPrefix, idleMs, ctx.now);
    const gate = consoleGate(ctx, sessions);
    await app.register(cookie);
    await app.register(formbody, { bodyLimit: 64 * 1024 });
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      // HSTS only when the console is served over https (PUBLIC_BASE_URL).
      strictTransportSecurity: ctx.config.publicBaseUrl.startsWith('https:'),
    });
    await app.register(rateLimit, { global: false, redis: ctx.redis, nameSpace: `${ctx.config.redisPrefix}:console:rate:`, skipOnError: true });
    await app.register(fastifyStatic, { root: ASSET_ROOTS, prefix: '/assets/', allowedPath: (path) => ASSET_FILES.has(path), maxAge: '1h', index: false, list: false, wildcard: false });

    app.setErrorHandler(async (err: FastifyError, req, reply) => {
      if (err.statusCode === 429) return sendHtml(reply, 429, <ErrorPage title="Quá nhiều yêu cầu" message="Bạn đã gửi quá nhiều yêu cầu. Vui lòng đợi một lát rồi thử lại." />);
      if (err instanceof AppError && err.kind === 'not_found') return sendHtml(reply, 404, <ErrorPage title="Không tìm thấy" message="Không tìm thấy nội dung bạn yêu cầu." />);
      if (err.statusCode && err.statusCode < 500) return sendHtml(reply, err.statusCode, <ErrorPage title="Yêu cầu không hợp lệ" message="Yêu cầu không hợp lệ. Vui lòng tải lại trang và thử lại." />);
      req.log.error({ err: { message: err.message, stack: err.stack } }, 'console page failed');
      return sendHtml(reply, 500, <ErrorPage title="Đã có lỗi" message="Đã có lỗi xảy ra. Vui lòng thử lại sau." />);
    });

    registerAuthRoutes(app, ctx, { sessions, throttle: new LoginThrottle(ctx.redis, ctx.config.redisPrefix), gate, secureCookies: ctx.config.publicBaseUrl.startsWith('https:') });
    registerOverviewRoute(app, ctx, gate);
    registerRankingsRoutes(app, ctx, gate);

    registerUsersRoutes(app, ctx, gate, sessions);
    registerAdminRoutes(app, ctx, gate, deps.onUnitsChanged);
    registerInvitationsRoutes(app, ctx, gate);
    registerInvitationsBulkRoutes(app, ctx, gate);
    registerUnitRoute(app, ctx, gate);
    registerRoundsRoutes(app, ctx, gate, deps.roundEvents);

    await announceFirstAdminLink(ctx);
  };
}
