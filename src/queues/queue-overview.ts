import type { Job } from 'bullmq';
import { listDeadLetters, replayDeadLetter, type DeadLetterSummary } from './dead-letters.js';
import type { JobQueues } from './job-queues.js';
import { QUEUE, type QueueName } from './queue-names.js';

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

/** `paused`: the queue is paused (BullMQ keeps a paused queue's jobs as waiting). */
export type QueueCounts = { queue: QueueName; counts: Record<QueueState, number>; paused: boolean; deadLetters: number };

/** A failed job as operators may see it: never its payload (chat ids, answers). */
export type FailedJobSummary = { queue: QueueName; id: string; name: string; failedReason: string; attempts: number; failedAt: Date | null };

export const isQueueName = (name: string): name is QueueName => (Object.values(QUEUE) as string[]).includes(name);

/**
 * Per queue, how many jobs are in each state (invitations and reminders queue as
 * "prioritized", behind replies: counted as waiting) and how many of its jobs wait in the
 * dead-letter queue.
 */
export async function queueCounts(queues: JobQueues): Promise<QueueCounts[]> {
  const dead = await listDeadLetters(queues, 10_000);
  return Promise.all(
    Object.values(QUEUE).map(async (queue) => {
      const [c, paused] = await Promise.all([queues.queue(queue).getJobCounts('waiting', 'prioritized', 'waiting-children', 'active', 'delayed', 'completed', 'failed'), queues.queue(queue).isPaused()]);
      const counts: Record<QueueState, number> = { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c['waiting-children'] ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, completed: c.completed ?? 0, failed: c.failed ?? 0 };
      return { queue, counts, paused, deadLetters: dead.filter((d) => d.queue === queue).length };
    }),
  );
}

/** The latest failed jobs of every queue, newest first: name, reason, attempts and time only. */
export async function latestFailedJobs(queues: JobQueues, perQueue = 10, limit = 30): Promise<FailedJobSummary[]> {
  const lists = await Promise.all(
    Object.values(QUEUE).map(async (queue) => {
      const jobs = (await queues.queue(queue).getFailed(0, perQueue - 1)) as (Job | undefined)[];
      return jobs.filter((j): j is Job => Boolean(j)).map((j) => ({ queue, id: String(j.id), name: j.name, failedReason: j.failedReason ?? '', attempts: j.attemptsMade, failedAt: j.finishedOn ? new Date(j.finishedOn) : null }));
    }),
  );
  return lists
    .flat()
    .sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0))
    .slice(0, limit);
}

/** The dead letters, newest first (summaries: no payload). */
export async function latestDeadLetters(queues: JobQueues, limit = 30): Promise<DeadLetterSummary[]> {
  return (await listDeadLetters(queues, 10_000)).reverse().slice(0, limit);
}

export type RetryFailedOutcome = { retried: number; replayed: number; skipped: number };

/**
 * Runs a queue's failed work again: its dead letters go back on the queue (their work is
 * idempotent), and its failed jobs that still hold their payload are retried. A failed job
 * whose payload was already removed (see start-workers.ts) cannot succeed: skipped.
 */
export async function retryFailed(queues: JobQueues, queue: QueueName, limit = 1_000): Promise<RetryFailedOutcome> {
  const outcome: RetryFailedOutcome = { retried: 0, replayed: 0, skipped: 0 };
  for (const letter of (await listDeadLetters(queues, 10_000)).filter((d) => d.queue === queue).slice(0, limit)) {
    if (await replayDeadLetter(queues, letter.id)) outcome.replayed++;
  }
  const failed = ((await queues.queue(queue).getFailed(0, limit - 1)) as (Job | undefined)[]).filter((j): j is Job => Boolean(j));
  for (const job of failed) {
    if ((job.data as { redacted?: unknown } | null)?.redacted === true) {
      outcome.skipped++;
      continue;
    }
    await job.retry('failed');
    outcome.retried++;
  }
  return outcome;
}
