import { randomUUID } from 'node:crypto';
import type { JobQueues } from '../queues/job-queues.js';
import { MAX_ITEMS_PER_JOB, persistAnswersJob, type AnswersItem } from '../queues/job-catalog.js';

type Waiter = { item: AnswersItem; resolve: () => void; reject: (err: unknown) => void };

/**
 * Group commit for the answers queue. An item is handed over at once when no hand-off
 * is in flight; items arriving meanwhile wait and leave together in the next job. Idle,
 * an answer costs no added latency; under load, jobs grow with the load, so Redis and
 * PostgreSQL work per answer falls as traffic rises. `submit` resolves only once the
 * job holding the item is in Redis: the caller keeps its outbox until then.
 *
 * One hand-off in flight (not two): under webhook load the jobs then carry about 22
 * items instead of 14, and since the worker's cost is mostly per transaction, the
 * answers reached PostgreSQL 0.14–0.18 s after the last ack instead of 0.6 s
 * (bench/webhook at 200 citizens; acknowledgement throughput unchanged within noise).
 */
export class AnswersBatcher {
  private waiting: Waiter[] = [];
  private inFlight = 0;

  constructor(
    private readonly handOff: (items: AnswersItem[]) => Promise<void>,
    private readonly opts: { maxItems: number; maxInFlight: number } = { maxItems: MAX_ITEMS_PER_JOB, maxInFlight: 1 },
  ) {}

  submit(item: AnswersItem): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.opts.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.opts.maxItems);
      this.inFlight++;
      this.handOff(batch.map((w) => w.item))
        .then(
          () => batch.forEach((w) => w.resolve()),
          (err: unknown) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}

/** The product's batcher: one `persist-answers` job per batch. */
export function answersBatcherFor(queues: JobQueues): AnswersBatcher {
  return new AnswersBatcher(async (items) => {
    await queues.add(persistAnswersJob, { batchId: randomUUID(), items });
  });
}
