import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis connection for BullMQ and sessions. `maxRetriesPerRequest: null` is what
 * BullMQ workers require; commands wait for a reconnect rather than failing fast.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...options });
}
