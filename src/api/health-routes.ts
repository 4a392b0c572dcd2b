import { outboxStreamKey } from '../conversations/outbox-stream.js';
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext, ReadinessCheck } from '../core/app-context.js';
import { firstLine } from '../core/first-line.js';
import { deadLettersByQueue } from '../queues/dead-letters.js';
import { QUEUE } from '../queues/queue-names.js';
import { REPAIR_ANSWERS_EVERY_MS } from '../responses/repair-dead-answers.js';
import { HEARTBEAT_STALE_MS, readWorkers } from '../queues/worker-heartbeat.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/** Someone must take the jobs: without a worker heartbeat, replies and answers would wait silently. */
function workersCheck(ctx: AppContext): ReadinessCheck {
  return {
    name: 'workers',
    async check() {
      const { alive } = await readWorkers(ctx.redis, ctx.config.redisPrefix);
      if (alive.length === 0) return { ok: false, detail: `no worker process has beaten in the last ${HEARTBEAT_STALE_MS / 1000} s: start one (npm run start:worker)` };
      const newest = Math.max(...alive.map((w) => w.lastBeatMs));
      return { ok: true, detail: `${alive.length} worker process(es); last beat ${((Date.now() - newest) / 1000).toFixed(1)} s ago` };
    },
  };
}

/** Jobs that failed for good stay ready (the process serves) but say so; the counter is the alert. */
function deadLetterCheck(ctx: AppContext): ReadinessCheck {
  return {
    name: 'dead_letter',
    async check() {
      const byQueue = await deadLettersByQueue(ctx.queues);
      const total = Object.values(byQueue).reduce((a, b) => a + b, 0);
      if (total === 0) return { ok: true, detail: 'empty' };
      const answers = byQueue[QUEUE.answers] ?? 0;
      const stranded = answers > 0 ? `; ${answers} answers batch(es): citizens were thanked but their answers are not stored yet (the repair sweep retries every ${REPAIR_ANSWERS_EVERY_MS / 60_000} min once the cause is fixed)` : '';
      return { ok: true, detail: `${total} job(s) failed for good${stranded}: npm run dead-letters -- list` };
    },
  };
}

/** /healthz: the process answers. /readyz: PostgreSQL, Redis, a worker, and registered checks. /metrics: Prometheus. */
export function healthRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));

    app.get('/readyz', async (_req, reply) => {
      const checks: ReadinessCheck[] = [
        { name: 'postgres', check: async () => (await ctx.db.$queryRaw`SELECT 1`, { ok: true }) },
        { name: 'redis', check: async () => ({ ok: (await ctx.redis.ping()) === 'PONG' }) },
        workersCheck(ctx),
        deadLetterCheck(ctx),
        ...ctx.readiness,
      ];
      const results = await Promise.all(
        checks.map(async (c) => {
          try {
            return { name: c.name, ...(await withTimeout(c.check(), 2000)) };
          } catch (err) {
            return { name: c.name, ok: false, detail: firstLine(err) };
          }
        }),
      );
      const ok = results.every((r) => r.ok);
      if (!ok) reply.header('retry-after', '5');
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks: results });
    });

    app.get('/metrics', async (_req, reply) => {
      // Queue depths tell whether workers keep up (answers waiting = answers not yet in PostgreSQL).
      // Invitations and reminders queue as "prioritized" (behind replies): a broadcast's backlog shows there.
      await Promise.all([
        ...Object.values(QUEUE).map(async (name) => {
          const counts = await ctx.queues.queue(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts)) ctx.metrics.queueJobs.set({ queue: name, state }, n);
        }),
        // Before the queues: an outbox waits here until a worker's relay hands it over.
        ctx.redis.xlen(outboxStreamKey(ctx.config.redisPrefix)).then((n) => ctx.metrics.outboxBacklog.set(n)),
        ctx.queues
          .deadLetters()
          .count()
          .then((n) => ctx.metrics.deadLetterJobs.set(n)),
        readWorkers(ctx.redis, ctx.config.redisPrefix).then(({ alive, lastJobAt, outageRetries }) => {
          ctx.metrics.workers.set(alive.length);
          for (const [queue, ms] of Object.entries(lastJobAt)) ctx.metrics.lastJobAt.set({ queue }, ms / 1000);
          for (const [queue, n] of Object.entries(outageRetries)) ctx.metrics.outageRetries.set({ queue }, n);
        }),
      ]).catch(() => undefined);
      reply.type(ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    });
  };
}
