import { DelayedError, Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { z } from 'zod';
import { firstLine } from '../core/first-line.js';
import { transientDependency } from '../core/transient-failure.js';
import type { Logger } from '../observability/create-logger.js';
import { EpisodeLog } from '../observability/episode-log.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobDefinition, JobHandler } from './define-job.js';
import { OUTAGE_RETRY_FIRST_MS, QUEUE_POLICIES } from './job-catalog.js';
import { DEAD_LETTER_QUEUE, type QueueName } from './queue-names.js';
import type { RedisClient } from './redis-connection.js';
import { startHeartbeat } from './worker-heartbeat.js';

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

export type StartWorkersOptions = {
  /** The workers' own connection (BullMQ duplicates it for its blocking reads). */
  connection: RedisClient;
  prefix: string;
  registrations: Registration[];
  logger: Logger;
  metrics: Metrics;
  /** Longest wait between two tries during a dependency outage. */
  outageRetryMaxMs: number;
};

/** A job postponed on purpose (chat lanes, rate limits) rather than failed. */
const isPostponed = (err: unknown) => err instanceof Error && (err.name === 'DelayedError' || err.name === 'RateLimitError' || err.message === 'bullmq:rateLimitExceeded');

/** Dependency-outage retries so far: every start that ended neither in success nor in a counted failure. */
const transientTriesOf = (job: Job) => Math.max(0, job.attemptsStarted - job.attemptsMade - 1);

/**
 * One BullMQ worker per queue, dispatching by job name, recovering as its queue's policy
 * says (QUEUE_POLICIES). Payloads are validated again when processed: a payload that does
 * not parse can never succeed, so it fails at once. A failure that only says a dependency
 * is down is retried without limit, at most 30 s apart, without spending an attempt. A job
 * that fails for good on a dead-letter queue is moved there with an error log. Every
 * worker process beats a heartbeat that `/readyz` reads.
 */
export function startWorkers(opts: StartWorkersOptions): Workers {
  const { logger, metrics, prefix } = opts;
  const episodes = new EpisodeLog(logger);
  const heartbeat = startHeartbeat(opts.connection, prefix, (err) => episodes.report('heartbeat', 'warn', { err: err.message }, 'worker heartbeat not written'));
  const deadLetters = new Queue(DEAD_LETTER_QUEUE, { connection: opts.connection as ConnectionOptions, prefix });
  deadLetters.on('error', (err) => episodes.report('queue:dead-letter', 'warn', { err: err.message }, 'dead-letter queue error'));

  const byQueue = new Map<string, Registration[]>();
  for (const r of opts.registrations) byQueue.set(r.def.queue, [...(byQueue.get(r.def.queue) ?? []), r]);

  const workers = [...byQueue.entries()].map(([queue, regs]) => {
    const policy = QUEUE_POLICIES[queue as QueueName];
    const byName = new Map(regs.map((r) => [r.def.name, r]));
    const concurrency = Math.max(1, ...regs.map((r) => r.concurrency ?? 1));
    const limiter = regs.find((r) => r.limiter)?.limiter;

    const processJob = async (job: Job, token?: string) => {
      const reg = byName.get(job.name);
      if (!reg) throw new UnrecoverableError(`no handler for job ${job.name} on queue ${queue}`);
      const parsed = reg.def.schema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${job.name}: ${parsed.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`);
      try {
        await reg.handler(parsed.data, job, token);
      } catch (err) {
        const dependency = isPostponed(err) || err instanceof UnrecoverableError ? undefined : transientDependency(err);
        if (!dependency) throw err;
        const delay = Math.min(opts.outageRetryMaxMs, OUTAGE_RETRY_FIRST_MS * 2 ** Math.min(20, transientTriesOf(job)));
        await job.moveToDelayed(Date.now() + delay, token);
        metrics.transientRetries.inc({ queue, dependency });
        heartbeat.outageRetry(queue);
        episodes.report(`unavailable:${dependency}:${queue}`, 'warn', { queue, dependency, err: firstLine(err) }, `${dependency} unavailable: jobs wait and retry (no attempt spent)`);
        throw new DelayedError();
      }
    };

    const worker = new Worker(queue, processJob, {
      connection: opts.connection as ConnectionOptions,
      prefix,
      concurrency,
      lockDuration: policy.lockDurationMs,
      stalledInterval: policy.stalledIntervalMs,
      maxStalledCount: policy.maxStalledCount,
      ...(limiter ? { limiter } : {}),
    });
    worker.on('completed', () => {
      metrics.jobs.inc({ queue, outcome: 'completed' });
      heartbeat.jobDone(queue);
    });
    worker.on('failed', (job, err) => {
      metrics.jobs.inc({ queue, outcome: 'failed' });
      // Job ids and names only: payloads hold personal data.
      logger.warn({ queue, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: firstLine(err) }, 'job failed');
      if (job && policy.deadLetter) void deadLetter(job, err).catch((e: unknown) => logger.error({ queue, jobId: job.id, err: (e as Error).message }, 'could not move a failed job to the dead-letter queue'));
      else if (job) void redact(job).catch(() => undefined);
    });
    worker.on('stalled', (jobId) => logger.warn({ queue, jobId }, 'job stalled (its worker stopped); it runs again'));
    worker.on('error', (err) => episodes.report(`worker:${queue}`, 'error', { queue, err: err.message }, 'worker error'));

    /** A job that failed for good keeps its id and reason, not its payload (chat ids, messages). */
    async function redact(job: Job): Promise<void> {
      if ((await job.getState()) === 'failed') await job.updateData({ redacted: true });
    }

    /** A job failed for good: kept in the dead-letter queue for `npm run dead-letters -- replay`, with an alert. */
    async function deadLetter(job: Job, err: Error): Promise<void> {
      if ((await job.getState()) !== 'failed') return;
      await deadLetters.add(job.name, { queue, jobId: job.id, name: job.name, data: job.data, error: firstLine(err).slice(0, 500), failedAt: new Date().toISOString() }, { jobId: `${queue}-${job.id}`, attempts: 1 });
      await job.remove();
      metrics.deadLettered.inc({ queue });
      logger.error({ queue, jobId: job.id, err: firstLine(err) }, 'job failed for good and was moved to the dead-letter queue: fix the cause, then npm run dead-letters -- replay');
    }
    return worker;
  });
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await heartbeat.stop();
      await deadLetters.close();
    },
  };
}
