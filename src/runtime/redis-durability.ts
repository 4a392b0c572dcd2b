import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from '../queues/redis-connection.js';

/** What Redis says about keeping our writes (the answers waiting in the queues live only there). */
export type RedisPersistence = { server: string; aof: boolean; appendfsync: string | undefined; maxmemoryPolicy: string | undefined };

/** The flags that make a Redis server durable enough for this product. */
export const DURABLE_REDIS_FLAGS = '--appendonly yes --appendfsync everysec --maxmemory-policy noeviction';
export const DURABLE_REDIS_CONF = ['appendonly yes', 'appendfsync everysec', 'maxmemory-policy noeviction'];

const infoField = (info: string, field: string) => new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();

async function readOne(node: Redis, server: string): Promise<RedisPersistence> {
  const [persistence, memory] = await Promise.all([node.info('persistence'), node.info('memory')]);
  // CONFIG may be renamed away on managed servers; INFO is enough to decide, appendfsync only adds detail.
  const fsync = await node.config('GET', 'appendfsync').then((r) => (r as string[])[1], () => undefined);
  return { server, aof: infoField(persistence, 'aof_enabled') === '1', appendfsync: fsync, maxmemoryPolicy: infoField(memory, 'maxmemory_policy') };
}

/** Reads every master's persistence settings (one server, the Sentinel master, or each Cluster master). */
export async function readRedisPersistence(redis: RedisClient): Promise<RedisPersistence[]> {
  if (redis instanceof Cluster) return Promise.all(redis.nodes('master').map((n) => readOne(n, `${n.options.host}:${n.options.port}`)));
  return [await readOne(redis, 'redis')];
}

/** Why these settings can lose data; empty when durable. */
export function durabilityProblems(settings: RedisPersistence[]): string[] {
  return settings.flatMap((s) => [
    ...(s.aof ? [] : [`${s.server}: AOF persistence is off (appendonly no): a restart loses every answer still queued`]),
    ...(s.aof && s.appendfsync === 'no' ? [`${s.server}: appendfsync is "no": the kernel decides when answers reach the disk`] : []),
    ...(s.maxmemoryPolicy && s.maxmemoryPolicy !== 'noeviction' ? [`${s.server}: maxmemory-policy is ${s.maxmemoryPolicy}: under memory pressure Redis deletes queued answers`] : []),
  ]);
}

/** How to fix it, as the start-up refusal and the README say. */
export function durabilityFix(): string {
  return [
    `start redis-server with ${DURABLE_REDIS_FLAGS},`,
    `or put these lines in redis.conf: ${DURABLE_REDIS_CONF.join('; ')},`,
    'or on a running server: redis-cli CONFIG SET appendonly yes && redis-cli CONFIG SET maxmemory-policy noeviction && redis-cli CONFIG REWRITE.',
    '(appendfsync always loses nothing even on a power cut, at a cost in write throughput; everysec loses at most about one second.)',
    'REDIS_VOLATILE_OK=true starts anyway (logged on every start).',
  ].join('\n  ');
}
