import type { Job, JobsOptions } from 'bullmq';
import type { z } from 'zod';

/**
 * One entry of the job catalogue: a queue, a payload schema checked when enqueued and
 * again when processed, and how to derive a deterministic job id (so a retried
 * enqueue cannot repeat a side effect).
 */
export type JobDefinition<S extends z.ZodTypeAny> = {
  queue: string;
  name: string;
  schema: S;
  jobId: (payload: z.infer<S>) => string;
  /** Overrides of the queue defaults for this job (e.g. more attempts where losing it loses data). */
  options?: JobsOptions;
};

export function defineJob<S extends z.ZodTypeAny>(def: JobDefinition<S>): JobDefinition<S> {
  return def;
}

export type JobHandler<S extends z.ZodTypeAny> = (payload: z.infer<S>, job: Job, token?: string) => Promise<void>;
