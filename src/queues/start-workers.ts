import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { z } from 'zod';
import type { Logger } from '../observability/create-logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobDefinition, JobHandler } from './define-job.js';

export type Registration<S extends z.ZodTypeAny = z.ZodTypeAny> = {
  def: JobDefinition<S>;
  handler: JobHandler<S>;
  /** Parallel jobs of this queue in one process (all registrations of a queue share the largest). */
  concurrency?: number;
  /** BullMQ rate limiter for the whole queue, across processes. */
  limiter?: { max: number; duration: number };
};

export function register<S extends z.ZodTypeAny>(def: JobDefinition<S>, handler: JobHandler<S>, opts: Omit<Registration<S>, 'def' | 'handler'> = {}): Registration {
  return { def, handler, ...opts } as unknown as Registration;
}

export type Workers = { workers: Worker[]; close(): Promise<void> };

/**
 * One BullMQ worker per queue, dispatching by job name. Payloads are validated again
 * when processed: a payload that does not parse can never succeed, so it fails
 * without retries.
 */
export function startWorkers(opts: { connection: ConnectionOptions; prefix: string; registrations: Registration[]; logger: Logger; metrics?: Metrics }): Workers {
  const byQueue = new Map<string, Registration[]>();
  for (const r of opts.registrations) byQueue.set(r.def.queue, [...(byQueue.get(r.def.queue) ?? []), r]);
  const workers = [...byQueue.entries()].map(([queue, regs]) => {
    const byName = new Map(regs.map((r) => [r.def.name, r]));
    const concurrency = Math.max(1, ...regs.map((r) => r.concurrency ?? 1));
    const limiter = regs.find((r) => r.limiter)?.limiter;
    const worker = new Worker(
      queue,
      async (job: Job, token?: string) => {
        const reg = byName.get(job.name);
        if (!reg) throw new UnrecoverableError(`no handler for job ${job.name} on queue ${queue}`);
        const parsed = reg.def.schema.safeParse(job.data);
        if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`);
        await reg.handler(parsed.data, job, token);
      },
      { connection: opts.connection, prefix: opts.prefix, concurrency, ...(limiter ? { limiter } : {}) },
    );
    worker.on('completed', () => opts.metrics?.jobs.inc({ queue, outcome: 'completed' }));
    worker.on('failed', (job, err) => {
      opts.metrics?.jobs.inc({ queue, outcome: 'failed' });
      // Job ids and names only: payloads hold personal data.
      opts.logger.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed');
    });
    worker.on('error', (err) => opts.logger.error({ queue, err: err.message }, 'worker error'));
    return worker;
  });
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
