import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../queues/redis-connection.js';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/**
 * A single-holder Redis lock: `SET key <random> NX PX ttl`, released only by its
 * holder (compare-and-delete in Lua), so an expired lock taken over by another
 * process is never released by the late first holder.
 */
export class RedisRefreshLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** The holder's token when acquired, `null` when someone else holds the lock. */
  async tryAcquire(): Promise<string | null> {
    const token = randomBytes(16).toString('hex');
    const ok = await this.redis.set(this.key, token, 'PX', this.ttlMs, 'NX');
    return ok === 'OK' ? token : null;
  }

  /** True when this holder still held the lock and released it. */
  async release(token: string): Promise<boolean> {
    return (await this.redis.eval(RELEASE, 1, this.key, token)) === 1;
  }
}
