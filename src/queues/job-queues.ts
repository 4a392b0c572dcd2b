import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { z } from 'zod';
import type { JobDefinition } from './define-job.js';
import { DEFAULT_JOB_OPTIONS } from './job-defaults.js';
import { DEAD_LETTER_QUEUE, QUEUE, type QueueName } from './queue-names.js';

/** The producer side of every queue, with payload validation at enqueue time. */
export class JobQueues {
  private readonly queues = new Map<string, Queue>();

  /** `onError`: every queue's connection errors (BullMQ writes them to the console when nobody listens). */
  constructor(
    connection: ConnectionOptions,
    readonly prefix: string,
    onError: (queue: string, err: Error) => void = () => undefined,
  ) {
    for (const name of [...Object.values(QUEUE), DEAD_LETTER_QUEUE]) {
      const queue = new Queue(name, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queue.on('error', (err) => onError(name, err));
      this.queues.set(name, queue);
    }
  }

  /** Jobs that failed for good, waiting for a replay (see start-workers.ts). */
  deadLetters(): Queue {
    return this.queues.get(DEAD_LETTER_QUEUE)!;
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
