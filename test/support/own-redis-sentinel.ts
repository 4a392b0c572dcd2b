import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startOwnRedis, waitForRedis } from './own-redis.js';
import { freePort } from './spawn-script.js';
import { waitUntil } from './wait-until.js';

/** A master, a replica and three sentinels of the test's own (AOF on both servers), on free ports. */
export type OwnSentinelSet = {
  name: string;
  sentinels: { host: string; port: number }[];
  /** The port of the server the sentinels call master now. */
  masterPort(): Promise<number>;
  /** Promotes the replica (SENTINEL FAILOVER) and waits until the sentinels name it master. */
  failover(): Promise<number>;
  destroy(): Promise<void>;
};

/** Runs one command on a short-lived connection. */
async function ask<T>(port: number, ...command: string[]): Promise<T> {
  const conn = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, lazyConnect: true });
  conn.on('error', () => undefined);
  try {
    await conn.connect();
    return (await conn.call(command[0]!, ...command.slice(1))) as T;
  } finally {
    conn.disconnect();
  }
}

export async function startOwnSentinelSet(name = 'sipasmaster'): Promise<OwnSentinelSet> {
  const master = await startOwnRedis();
  const replica = await startOwnRedis(undefined, ['--replicaof', '127.0.0.1', String(master.port)]);
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const children = await Promise.all(
    ports.map(async (port) => {
      // A sentinel is redis-server in sentinel mode, with a config file it may rewrite.
      const conf = path.join(master.dir, `sentinel-${port}.conf`);
      const lines = [`port ${port}`, 'bind 127.0.0.1', `sentinel monitor ${name} 127.0.0.1 ${master.port} 2`, `sentinel down-after-milliseconds ${name} 2000`, `sentinel failover-timeout ${name} 15000`];
      await writeFile(conf, lines.join('\n') + '\n');
      const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
      await waitForRedis(port);
      return child;
    }),
  );
  const masterPort = async () => Number((await ask<[string, string]>(ports[0]!, 'SENTINEL', 'get-master-addr-by-name', name))[1]);
  // A failover needs a replica in sync and sentinels that know each other.
  await waitUntil(async () => /master_link_status:up/.test(await ask<string>(replica.port, 'INFO', 'replication')), 'the replica in sync');
  await waitUntil(async () => (await ask<unknown[]>(ports[0]!, 'SENTINEL', 'sentinels', name)).length >= 2 && (await ask<unknown[]>(ports[0]!, 'SENTINEL', 'replicas', name)).length >= 1, 'sentinels that know each other and the replica');
  return {
    name,
    sentinels: ports.map((port) => ({ host: '127.0.0.1', port })),
    masterPort,
    async failover() {
      const before = await masterPort();
      await ask(ports[0]!, 'SENTINEL', 'FAILOVER', name);
      return waitUntil(async () => {
        const now = await masterPort();
        return now !== before ? now : false;
      }, 'the sentinels to name the new master', 30_000);
    },
    async destroy() {
      for (const c of children) c.kill('SIGKILL');
      await Promise.all([master.destroy(), replica.destroy()]);
    },
  };
}
