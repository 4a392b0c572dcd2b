import type { ConnectionOptions } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../api/build-app.js';
import type { AppConfig } from '../config/load-config.js';
import { createPrismaClient } from '../db/prisma-client.js';
import { SqlPool } from '../db/sql-pool.js';
import { createLogger, type Logger } from '../observability/create-logger.js';
import { createMetrics } from '../observability/metrics.js';
import { EpisodeLog } from '../observability/episode-log.js';
import { JobQueues } from '../queues/job-queues.js';
import { createRedis } from '../queues/redis-connection.js';
import { startWorkers, type Workers } from '../queues/start-workers.js';
import type { AppContext } from '../core/app-context.js';
import { systemClock } from '../core/clock.js';
import { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { createServices, type Services } from './services.js';
import { OutboxRelay } from '../conversations/outbox-relay.js';
import { outboxHandOver } from '../conversations/conversation-service.js';
import { routeModules } from './route-modules.js';
import { workerRegistrations } from './worker-registrations.js';

export type RunningApp = {
  ctx: AppContext;
  services: Services;
  app: FastifyInstance | undefined;
  workers: Workers | undefined;
  /** The worker role's relay from the outbox stream to the queues. */
  relay: OutboxRelay | undefined;
  /** Base URL when the web role listens. */
  url: string | undefined;
  close(): Promise<void>;
};

export type StartOptions = { web: boolean; worker: boolean; logger?: Logger; now?: () => Date; listen?: boolean };

/**
 * The composition root: builds the context once and starts the selected roles.
 * `close()` stops taking requests, drains workers, then closes Redis and Postgres.
 */
export async function startApp(config: AppConfig, opts: StartOptions): Promise<RunningApp> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db = createPrismaClient(config.databaseUrl);
  // Sized for the answers worker's 4 parallel jobs, a report's 2 parallel reads and the /start lookups (on top of Prisma's 10).
  const sql = new SqlPool(config.databaseUrl, 8);
  // Requests, sessions and enqueues share one auto-pipelined connection: commands issued
  // in the same tick leave in one write. BullMQ workers get their own plain connection.
  // Connection errors repeat every few milliseconds while Redis is down: one line per outage.
  const episodes = new EpisodeLog(logger);
  const redisDown = (role: string) => (err: Error) => episodes.report(`redis:${role}`, 'warn', { role, err: err.message }, 'redis connection error; reconnecting');
  const redis = createRedis(config.redis, { enableAutoPipelining: true });
  redis.on('error', redisDown('requests'));
  const workerRedis = opts.worker ? createRedis(config.redis) : undefined;
  workerRedis?.on('error', redisDown('workers'));
  const queues = new JobQueues(redis as ConnectionOptions, config.redisPrefix, (queue, err) => episodes.report(`queue:${queue}`, 'warn', { queue, err: err.message }, 'queue connection error'));
  const ctx: AppContext = { config, db, sql, redis, queues, logger, metrics: createMetrics(), catalog: new QuestionnaireCatalog(db), readiness: [], now: opts.now ?? systemClock };

  let app: FastifyInstance | undefined;
  let url: string | undefined;
  let workers: Workers | undefined;
  let relay: OutboxRelay | undefined;
  let services: Services | undefined;
  try {
    services = await createServices(ctx);
    if (opts.web) {
      app = await buildApp(ctx, routeModules(ctx, services));
      if (opts.listen !== false) {
        url = await app.listen({ port: config.port, host: config.host });
        logger.info({ url }, 'http server listening');
      }
    }
    if (opts.worker) {
      workers = startWorkers({ connection: workerRedis!, prefix: config.redisPrefix, registrations: workerRegistrations(ctx, services), logger, metrics: ctx.metrics, outageRetryMaxMs: config.outageRetryMaxMs });
      const relayRedis = workerRedis!.duplicate();
      relayRedis.on('error', redisDown('relay'));
      relay = new OutboxRelay({ blocking: relayRedis, redis, prefix: config.redisPrefix, logger, handOver: outboxHandOver(ctx, services.conversations.rounds), retryMaxMs: config.outageRetryMaxMs });
      relay.start();
      logger.info({ queues: workers.workers.map((w) => w.name) }, 'workers started');
    }
  } catch (err) {
    await relay?.close().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await queues.close().catch(() => undefined);
    redis.disconnect();
    workerRedis?.disconnect();
    await sql.end();
    await db.$disconnect();
    throw err;
  }

  return {
    ctx,
    services,
    app,
    workers,
    relay,
    url,
    async close() {
      await app?.close();
      await relay?.close();
      await workers?.close();
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      await workerRedis?.quit().catch(() => workerRedis.disconnect());
      await sql.end();
      await db.$disconnect();
    },
  };
}
