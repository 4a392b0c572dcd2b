import pg from 'pg';
import type { RedisTopology } from '../config/load-config.js';
import { firstLine } from '../core/first-line.js';
import { createRedis, type RedisClient } from '../queues/redis-connection.js';
import { DURABLE_REDIS_FLAGS } from './redis-durability.js';

/** Masks the password of a connection URL so it can be printed. */
export function describeUrl(raw: string): string {
  const u = new URL(raw);
  if (u.password) u.password = '***';
  return u.toString();
}

/** Where Redis was looked for, for messages (no password). */
export function describeRedis(t: RedisTopology): string {
  const list = (hs: { host: string; port: number }[]) => hs.map((h) => `${h.host}:${h.port}`).join(',');
  if (t.kind === 'sentinel') return `master "${t.name}" through the sentinels ${list(t.sentinels)} (REDIS_SENTINELS)`;
  if (t.kind === 'cluster') return `the cluster nodes ${list(t.nodes)} (REDIS_CLUSTER_NODES)`;
  return `${describeUrl(t.url)} (REDIS_URL)`;
}

export const START_HINTS = {
  postgres:
    "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start  (or: docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:15)",
  redis: `start it with: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 ${DURABLE_REDIS_FLAGS} --dir /var/lib/redis  (or: docker run -d -p 6379:6379 redis:7 redis-server ${DURABLE_REDIS_FLAGS})`,
};

/** Connects once to the Postgres server (the maintenance db, the app db may not exist yet). */
export async function checkPostgres(databaseUrl: string, timeoutMs = 3000): Promise<string | undefined> {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    return firstLine(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** One short-lived Redis connection that fails fast; the caller uses it (e.g. to read persistence) and disconnects it. */
export async function connectRedisOnce(topology: RedisTopology, timeoutMs = 3000): Promise<RedisClient> {
  const redis = createRedis(topology, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}

