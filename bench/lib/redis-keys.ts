import { Redis } from 'ioredis';

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key starting with `prefix` (the benchmark's own hash-tagged prefixes only). */
export async function deleteKeys(prefix: string): Promise<number> {
  if (!prefix.startsWith('{bench')) throw new Error(`refusing to delete keys outside the benchmark prefixes: ${prefix}`);
  const redis = new Redis(REDIS_URL);
  let deleted = 0;
  try {
    let cursor = '0';
    for (let i = 0; i < 1_000_000; i++) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) deleted += await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

export async function redisVersion(): Promise<string> {
  const redis = new Redis(REDIS_URL);
  try {
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
  } finally {
    redis.disconnect();
  }
}
