import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { errorHandler } from './error-handler.js';
import { healthRoutes } from './health-routes.js';

export type RouteModule = { prefix?: string; plugin: FastifyPluginAsync };

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
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((_req, reply) => reply.status(404).send({ error: { code: 'not_found', message: 'no such route' } }));
  await app.register(healthRoutes(ctx));
  for (const m of modules) await app.register(m.plugin, m.prefix ? { prefix: m.prefix } : {});
  await app.ready();
  return app;
}
