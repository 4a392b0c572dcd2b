import type { Job } from 'bullmq';
import { firstLine } from '../core/first-line.js';
import type { JobQueues } from './job-queues.js';
import type { QueueName } from './queue-names.js';

/** What the dead-letter queue keeps of a job that failed for good (see start-workers.ts). */
export type DeadLetter = { queue: string; jobId: string; name: string; data: unknown; error: string; failedAt: string };

export type DeadLetterSummary = { id: string; queue: string; jobId: string; name: string; error: string; failedAt: string };

const summary = (job: Job<DeadLetter>): DeadLetterSummary => ({ id: job.id!, queue: job.data.queue, jobId: job.data.jobId, name: job.data.name, error: job.data.error, failedAt: job.data.failedAt });

/** The dead letters, oldest first (ids, reasons and times only: never the payloads). */
export async function listDeadLetters(queues: JobQueues, limit = 1_000): Promise<DeadLetterSummary[]> {
  const jobs = (await queues.deadLetters().getWaiting(0, limit - 1)) as Job<DeadLetter>[];
  return jobs.filter(Boolean).map(summary).reverse();
}

/**
 * Puts a dead letter back on its queue as a new job (its work is idempotent, so a replay
 * after a partial first run is harmless), then removes it. Returns the new job's id.
 */
export async function replayDeadLetter(queues: JobQueues, id: string): Promise<string | undefined> {
  const dead = (await queues.deadLetters().getJob(id)) as Job<DeadLetter> | undefined;
  if (!dead) return undefined;
  const { queue, jobId, name, data } = dead.data;
  const replayId = `${jobId}-replay-${Date.now()}`;
  await queues.queue(queue as QueueName).add(name, data, { jobId: replayId });
  await dead.remove();
  return replayId;
}

/** Forgets a dead letter for good (after its data was dealt with some other way). */
export async function dropDeadLetter(queues: JobQueues, id: string): Promise<boolean> {
  const dead = await queues.deadLetters().getJob(id);
  if (!dead) return false;
  await dead.remove();
  return true;
}

export type RetryOutcome = { repaired: number; remaining: number; lastError?: string };

/**
 * Runs the work of every dead letter from `queue` again, in this process, oldest first:
 * one that succeeds is removed, one that fails stays for the next sweep. The work is
 * idempotent, so a letter whose first run got halfway is safe to run again.
 */
export async function retryDeadLetters(queues: JobQueues, queue: QueueName, run: (data: unknown) => Promise<void>, limit = 100): Promise<RetryOutcome> {
  const jobs = ((await queues.deadLetters().getWaiting(0, 10_000)) as Job<DeadLetter>[]).filter((j) => j?.data.queue === queue).reverse();
  const outcome: RetryOutcome = { repaired: 0, remaining: jobs.length };
  for (const job of jobs.slice(0, limit)) {
    try {
      await run(job.data.data);
    } catch (err) {
      outcome.lastError = firstLine(err);
      continue;
    }
    await job.remove();
    outcome.repaired++;
    outcome.remaining--;
  }
  return outcome;
}

/** How many dead letters each queue has (for /readyz). */
export async function deadLettersByQueue(queues: JobQueues): Promise<Record<string, number>> {
  const jobs = (await queues.deadLetters().getWaiting(0, 10_000)) as Job<DeadLetter>[];
  const counts: Record<string, number> = {};
  for (const j of jobs) if (j) counts[j.data.queue] = (counts[j.data.queue] ?? 0) + 1;
  return counts;
}
