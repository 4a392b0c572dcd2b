import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { z } from 'zod';
import type { JobDefinition } from './define-job.js';
import { DEFAULT_JOB_OPTIONS } from './job-defaults.js';
import { QUEUE, type QueueName } from './queue-names.js';

/** The producer side of every queue, with payload validation at enqueue time. */
export class JobQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: ConnectionOptions,
    readonly prefix: string,
  ) {
    for (const name of Object.values(QUEUE)) {
      this.queues.set(name, new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS }));
    }
  }

  queue(name: QueueName): Queue {
    const q = this.queues.get(name);
    if (!q) throw new Error(`unknown queue ${name}`);
    return q;
  }

  /** Validates and enqueues; a job with the same id already queued is not added twice. */
  async add<S extends z.ZodTypeAny>(def: JobDefinition<S>, payload: z.input<S>, opts: JobsOptions = {}): Promise<string> {
    const data = def.schema.parse(payload) as z.infer<S>;
    const jobId = opts.jobId ?? def.jobId(data);
    await this.queue(def.queue as QueueName).add(def.name, data, { ...def.options, ...opts, jobId });
    return jobId;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
