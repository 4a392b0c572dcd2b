import { hostname } from 'node:os';
import type { RedisClient } from '../queues/redis-connection.js';
import { transientDependency } from '../core/transient-failure.js';
import { firstLine } from '../core/first-line.js';
import type { Logger } from '../observability/create-logger.js';
import { EpisodeLog } from '../observability/episode-log.js';
import { OUTBOX_GROUP, outboxStreamKey, readOutboxEntry, type OutboxEntry } from './outbox-stream.js';

type StreamReply = [string, [string, string[]][]][] | null;

export type RelayOptions = {
  /** A dedicated connection: the relay blocks on it, and closes it when closed. */
  blocking: RedisClient;
  /** Acknowledgements (may be shared and pipelined). */
  redis: RedisClient;
  prefix: string;
  logger: Logger;
  /** Hands a batch of outboxes to the queues; must be idempotent per outbox id. */
  handOver: (entries: OutboxEntry[]) => Promise<void>;
  batchSize?: number;
  blockMs?: number;
  /** Entries another relay read this long ago and never acknowledged are taken over (that relay died). */
  takeOverAfterMs?: number;
  /** Longest wait between two tries while a dependency is down. */
  retryMaxMs?: number;
};

/** Failures of one batch after which its entries are tried one by one. */
const ALONE_AFTER_FAILURES = 3;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The workers' side of the outbox stream: reads the outboxes conversations committed (a
 * consumer group, so relays of several worker processes share the stream), hands each
 * batch to the queues, then acknowledges and deletes it. At least once: a batch that
 * fails stays pending and is read again (this relay's own pending entries first); a
 * relay that dies leaves its entries to be taken over by another. Every job id derives
 * from the outbox id, so a second hand-over adds nothing twice.
 */
export class OutboxRelay {
  private readonly stream: string;
  private readonly consumer = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly episodes: EpisodeLog;
  private running = false;
  private loop: Promise<void> | undefined;
  private lastTakeOver = 0;
  /** Whether this relay may hold entries it read and did not acknowledge (at start, and after a failed batch). */
  private mayHoldPending = true;

  constructor(private readonly o: RelayOptions) {
    this.stream = outboxStreamKey(o.prefix);
    this.episodes = new EpisodeLog(o.logger);
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the batch in hand (a blocking read ends within `blockMs`), then closes the blocking connection. */
  async close(): Promise<void> {
    this.running = false;
    await this.loop;
    this.o.blocking.disconnect();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        await this.step(failures >= ALONE_AFTER_FAILURES);
        failures = 0;
      } catch (err) {
        failures++;
        this.mayHoldPending = true;
        const dependency = transientDependency(err);
        this.episodes.report('outbox-relay', dependency ? 'warn' : 'error', { err: firstLine(err), ...(dependency ? { dependency } : {}) }, 'outbox hand-over failed; retrying');
        await sleep(Math.min(this.o.retryMaxMs ?? 5_000, 100 * 2 ** Math.min(failures, 10)));
      }
    }
  }

  /**
   * One batch: this relay's pending entries (a failed batch), else entries taken over from a
   * dead relay, else new ones. `alone`: the batch failed several times — each entry is tried
   * on its own, and one that fails for a reason other than an outage is parked, so a single
   * bad entry cannot hold every conversation's replies back.
   */
  private async step(alone: boolean): Promise<void> {
    const count = this.o.batchSize ?? 500;
    let batch = this.mayHoldPending ? await this.read('0', count, false) : [];
    if (!batch.length) this.mayHoldPending = false;
    if (!batch.length) batch = await this.takeOver(count);
    if (!batch.length) batch = await this.read('>', count, true);
    if (!batch.length) return;
    const readable: [string, OutboxEntry][] = [];
    for (const [id, fields] of batch) {
      const entry = readOutboxEntry(fields);
      if (entry) readable.push([id, entry]);
      else await this.park(id, fields, 'unreadable outbox entry');
    }
    if (!alone) {
      if (readable.length) await this.o.handOver(readable.map(([, e]) => e));
      return this.done(readable.map(([id]) => id));
    }
    for (const [id, entry] of readable) {
      try {
        await this.o.handOver([entry]);
      } catch (err) {
        if (transientDependency(err)) throw err;
        await this.park(id, batch.find(([b]) => b === id)![1], firstLine(err));
        continue;
      }
      await this.done([id]);
    }
  }

  private async done(ids: string[]): Promise<void> {
    if (ids.length) await this.o.redis.multi().xack(this.stream, OUTBOX_GROUP, ...ids).xdel(this.stream, ...ids).exec();
  }

  /** Moves an entry that can never be handed over to `<stream>:parked` (kept for an operator; it names a chat). */
  private async park(id: string, fields: string[], reason: string): Promise<void> {
    await this.o.redis.xadd(`${this.stream}:parked`, '*', ...fields, 'from', id, 'reason', reason.slice(0, 500));
    this.o.logger.error({ entryId: id, reason: reason.slice(0, 200) }, 'outbox entry parked: it cannot be handed over');
    await this.done([id]);
  }

  private async read(from: '0' | '>', count: number, block: boolean): Promise<[string, string[]][]> {
    const args = ['GROUP', OUTBOX_GROUP, this.consumer, 'COUNT', count, ...(block ? ['BLOCK', this.o.blockMs ?? 1_000] : []), 'STREAMS', this.stream, from] as const;
    try {
      const reply = (await (this.o.blocking as unknown as { xreadgroup(...a: unknown[]): Promise<StreamReply> }).xreadgroup(...args)) as StreamReply;
      return reply?.[0]?.[1] ?? [];
    } catch (err) {
      // First start, or Redis lost the stream: create the group from the stream's start (nothing written is skipped).
      if (!(err instanceof Error) || !err.message.includes('NOGROUP')) throw err;
      await this.o.blocking.xgroup('CREATE', this.stream, OUTBOX_GROUP, '0', 'MKSTREAM').catch((e: Error) => {
        if (!e.message.includes('BUSYGROUP')) throw e;
      });
      return [];
    }
  }

  private async takeOver(count: number): Promise<[string, string[]][]> {
    const every = Math.min(5_000, this.o.takeOverAfterMs ?? 15_000);
    if (Date.now() - this.lastTakeOver < every) return [];
    this.lastTakeOver = Date.now();
    const reply = (await this.o.blocking.xautoclaim(this.stream, OUTBOX_GROUP, this.consumer, this.o.takeOverAfterMs ?? 15_000, '0-0', 'COUNT', count)) as [string, [string, string[] | null][]];
    // Entries deleted meanwhile come back without fields: only acknowledge them.
    const live = reply[1].filter((e): e is [string, string[]] => e[1] !== null);
    const gone = reply[1].filter((e) => e[1] === null).map(([id]) => id);
    if (gone.length) await this.o.redis.xack(this.stream, OUTBOX_GROUP, ...gone);
    return live;
  }
}
