import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { TEST_REDIS_URL } from './test-env.js';

export type TestRedis = { url: string; prefix: string; redis: Redis; close(): Promise<void> };

/** A Redis connection plus a key prefix unique to this test; `close()` deletes its keys. */
export async function createTestRedis(): Promise<TestRedis> {
  const prefix = `{t${randomBytes(5).toString('hex')}}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  return {
    url: TEST_REDIS_URL,
    prefix,
    redis,
    async close() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}
