import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { startOwnRedis, type OwnRedis } from './own-redis.js';
import { waitUntil } from './wait-until.js';

const run = promisify(execFile);

/** Three masters of a Redis Cluster of the test's own (AOF), and a replica of the master that holds `hashTag`'s slot. */
export type OwnCluster = {
  nodes: { host: string; port: number }[];
  /** The port of the master serving `hashTag`'s slot now. */
  ownerPort(): Promise<number>;
  /** Promotes that master's replica (CLUSTER FAILOVER run on the replica) and waits until it serves the slot. */
  failover(): Promise<number>;
  destroy(): Promise<void>;
};

async function onNode<T>(port: number, ...command: string[]): Promise<T> {
  const conn = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, lazyConnect: true });
  conn.on('error', () => undefined);
  try {
    await conn.connect();
    return (await conn.call(command[0]!, ...command.slice(1))) as T;
  } finally {
    conn.disconnect();
  }
}

const CLUSTER_FLAGS = ['--cluster-enabled', 'yes', '--cluster-node-timeout', '3000'];

export async function startOwnCluster(hashTag: string): Promise<OwnCluster> {
  const servers: OwnRedis[] = [];
  for (let i = 0; i < 4; i++) servers.push(await startOwnRedis(undefined, [...CLUSTER_FLAGS, '--cluster-config-file', `nodes-${i}.conf`]));
  const [a, b, c, spare] = servers as [OwnRedis, OwnRedis, OwnRedis, OwnRedis];
  await run('redis-cli', ['--cluster', 'create', ...[a, b, c].map((s) => `127.0.0.1:${s.port}`), '--cluster-yes']);
  const slot = await onNode<number>(a.port, 'CLUSTER', 'KEYSLOT', hashTag);
  const ownerPort = async () => {
    const slots = await onNode<[number, number, [string, number]][]>(servers[0]!.port, 'CLUSTER', 'SLOTS');
    return slots.find(([from, to]) => slot >= from && slot <= to)![2][1];
  };
  const owner = await ownerPort();
  const ownerId = (await onNode<string>(owner, 'CLUSTER', 'MYID')).trim();
  await run('redis-cli', ['--cluster', 'add-node', `127.0.0.1:${spare.port}`, `127.0.0.1:${owner}`, '--cluster-slave', '--cluster-master-id', ownerId]);
  await waitUntil(async () => /master_link_status:up/.test(await onNode<string>(spare.port, 'INFO', 'replication')), 'the replica in sync', 30_000);
  await waitUntil(async () => /cluster_state:ok/.test(await onNode<string>(a.port, 'CLUSTER', 'INFO')), 'the cluster ok', 30_000);
  return {
    nodes: [a, b, c].map((s) => ({ host: '127.0.0.1', port: s.port })),
    ownerPort,
    async failover() {
      const before = await ownerPort();
      const replicaPort = before === spare.port ? owner : spare.port;
      await onNode(replicaPort, 'CLUSTER', 'FAILOVER');
      return waitUntil(async () => {
        const now = await ownerPort().catch(() => before);
        return now !== before ? now : false;
      }, 'the replica to take over the slot', 30_000);
    },
    async destroy() {
      await Promise.all(servers.map((s) => s.destroy()));
    },
  };
}
