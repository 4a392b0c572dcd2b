import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { RedisTopology } from '../config/load-config.js';

/** A connection to the deployment's Redis, whatever its topology (every key is hash-tagged, so a Cluster keeps ours in one slot). */
export type RedisClient = Redis | Cluster;

/** Password, username, database and TLS given in REDIS_URL, for Sentinel's master and the Cluster's nodes too. */
function urlOptions(raw: string): RedisOptions {
  const u = new URL(raw);
  const db = u.pathname.replace(/^\//, '');
  return {
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db ? { db: Number(db) } : {}),
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

/**
 * A Redis connection for BullMQ and sessions. `maxRetriesPerRequest: null` is what
 * BullMQ workers require: commands wait for a reconnect rather than failing fast.
 * Sentinel: the master is looked up through the sentinels and again after a failover.
 * Cluster: nodes are discovered from the ones given.
 */
export function createRedis(topology: RedisTopology, options: RedisOptions = {}): RedisClient {
  const base: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true, ...options };
  switch (topology.kind) {
    case 'single':
      return new Redis(topology.url, base);
    case 'sentinel':
      return new Redis({ ...urlOptions(topology.url), ...base, sentinels: topology.sentinels, name: topology.name });
    case 'cluster': {
      // Connection behaviour belongs to the cluster client; the rest applies to each node.
      const { enableAutoPipelining, lazyConnect, enableOfflineQueue, retryStrategy, ...nodeOptions } = base;
      const clusterOptions: ClusterOptions = {
        redisOptions: { ...urlOptions(topology.url), ...nodeOptions },
        scaleReads: 'master',
        ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
        ...(lazyConnect === undefined ? {} : { lazyConnect }),
        ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
        ...(retryStrategy ? { clusterRetryStrategy: (times: number) => retryStrategy(times) } : {}),
      };
      return new Cluster(topology.nodes, clusterOptions);
    }
  }
}

