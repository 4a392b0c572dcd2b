import type { FastifyPluginAsync } from 'fastify';
import { QUEUE } from '../queues/queue-names.js';
import type { AppContext } from '../core/app-context.js';

const withTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

/** /healthz: the process answers. /readyz: Postgres, Redis and registered checks. /metrics: Prometheus. */
export function healthRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', async () => ({ status: 'ok' }));

    app.get('/readyz', async (_req, reply) => {
      const checks = [
        { name: 'postgres', check: async () => (await ctx.db.$queryRaw`SELECT 1`, { ok: true }) },
        { name: 'redis', check: async () => ({ ok: (await ctx.redis.ping()) === 'PONG' }) },
        ...ctx.readiness,
      ];
      const results = await Promise.all(
        checks.map(async (c) => {
          try {
            return { name: c.name, ...(await withTimeout(c.check(), 2000)) };
          } catch (err) {
            return { name: c.name, ok: false, detail: (err as Error).message.split('\n')[0] };
          }
        }),
      );
      const ok = results.every((r) => r.ok);
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not_ready', checks: results });
    });

    app.get('/metrics', async (_req, reply) => {
      // Queue depths tell whether workers keep up (answers waiting = answers not yet in PostgreSQL).
      // Invitations and reminders queue as "prioritized" (behind replies): a broadcast's backlog shows there.
      await Promise.all(
        Object.values(QUEUE).map(async (name) => {
          const counts = await ctx.queues.queue(name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
          for (const [state, n] of Object.entries(counts)) ctx.metrics.queueJobs.set({ queue: name, state }, n);
        }),
      ).catch(() => undefined);
      reply.type(ctx.metrics.registry.contentType);
      return ctx.metrics.registry.metrics();
    });
  };
}
