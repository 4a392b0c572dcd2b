import type { FastifyInstance } from 'fastify';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { isQueueName, latestDeadLetters, latestFailedJobs, queueCounts, retryFailed } from '../queues/queue-overview.js';
import { HEARTBEAT_STALE_MS, readWorkers } from '../queues/worker-heartbeat.js';
import { ADMINS, queryField } from './admin-common.js';
import { QUEUE_LABELS, QueuesPage } from './admin-queues-page.js';
import { userActor, type ConsoleGate } from './console-gate.js';
import { formatNumber } from './format-vi.js';
import { sendHtml } from './send-html.js';

/**
 * `/admin/queues` (admins): what Bull Board would show, without payloads (they hold chat
 * ids and answers): counts per state, the workers' heartbeat as `/readyz` reads it, the
 * latest failures, and an audited "retry failed" per queue.
 */
export function registerAdminQueuesRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  app.get('/admin/queues', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const [counts, workers, failed, deadLetters] = await Promise.all([queueCounts(ctx.queues), readWorkers(ctx.redis, ctx.config.redisPrefix), latestFailedJobs(ctx.queues), latestDeadLetters(ctx.queues)]);
    const q = queryField(req.query, 'retried');
    const n = ['replayed', 'retried_n', 'skipped'].map((k) => Number(queryField(req.query, k)) || 0) as [number, number, number];
    const notice = isQueueName(q)
      ? `Hàng đợi ${QUEUE_LABELS[q]}: đã chạy lại ${formatNumber(n[0] + n[1])} việc${n[2] ? `; ${formatNumber(n[2])} việc đã bị xóa dữ liệu nên không chạy lại được` : ''}.`
      : undefined;
    const data = { counts, workers, staleAfterSeconds: HEARTBEAT_STALE_MS / 1000, failed, deadLetters, nowMs: Date.now() };
    return sendHtml(reply, 200, <QueuesPage frame={{ ...who.frame, path: '/admin/queues' }} data={data} {...(notice ? { outcome: { notice } } : {})} />);
  });

  app.post('/admin/queues/:queue/retry', async (req, reply) => {
    const who = await gate(req, reply, ADMINS);
    if (!who) return reply;
    const { queue } = req.params as { queue: string };
    if (!isQueueName(queue)) throw AppError.notFound();
    const outcome = await retryFailed(ctx.queues, queue);
    await writeAudit(ctx.db, userActor(who.user), 'queue.retry_failed', { queue, ...outcome });
    const query = new URLSearchParams({ retried: queue, replayed: String(outcome.replayed), retried_n: String(outcome.retried), skipped: String(outcome.skipped) });
    return reply.redirect(`/admin/queues?${query}`, 303);
  });
}
