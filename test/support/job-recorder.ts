import type { Job } from 'bullmq';
import type { RunningApp } from '../../src/runtime/start-app.js';

/** One run of a job as its worker finished it: what tests used to read back from Redis. */
export type JobRun = { id: string; name: string; data: Record<string, unknown>; attemptsMade: number; progress: unknown; outcome: 'completed' | 'failed'; error?: string };

/**
 * A finished job is deleted from Redis at once and a failed one loses its payload (no
 * personal data outlives its job), so tests observe jobs as the product's worker finishes
 * them: every completion and every failed attempt of `queue`, with a copy of the payload.
 */
export function recordJobs(app: RunningApp, queue: string): { runs: JobRun[]; of(userRef: string): JobRun[]; completed(id: string): JobRun | undefined } {
  const worker = app.workers?.workers.find((w) => w.name === queue);
  if (!worker) throw new Error(`no worker for ${queue} in this process`);
  const runs: JobRun[] = [];
  const record = (job: Job, outcome: JobRun['outcome'], error?: Error) =>
    runs.push({ id: job.id!, name: job.name, data: structuredClone(job.data) as Record<string, unknown>, attemptsMade: job.attemptsMade, progress: job.progress, outcome, ...(error ? { error: error.message } : {}) });
  worker.on('completed', (job) => record(job, 'completed'));
  worker.on('failed', (job, err) => job && record(job, 'failed', err));
  return {
    runs,
    of: (userRef) => runs.filter((r) => r.data.userRef === userRef),
    completed: (id) => runs.find((r) => r.id === id && r.outcome === 'completed'),
  };
}
