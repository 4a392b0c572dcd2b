import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './spawn-script.js';

/** A redis-server of the test's own (never the machine's), with the durability the README recommends unless told otherwise. */
export type OwnRedis = {
  port: number;
  url: string;
  dir: string;
  start(): Promise<void>;
  /** Dies at once, as in a crash; `start` replays the append-only file. */
  kill9(): Promise<void>;
  destroy(): Promise<void>;
};

export const DURABLE_FLAGS = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction'];
export const VOLATILE_FLAGS = ['--appendonly', 'no', '--save', ''];

/** Waits until a server answers PING on `port`. */
export async function waitForRedis(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis on port ${port} did not come up`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      probe.disconnect();
    }
  }
}

export async function startOwnRedis(flags: string[] = DURABLE_FLAGS, extra: string[] = []): Promise<OwnRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sipas-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', ...flags, ...extra], { stdio: 'ignore' });
    await waitForRedis(port);
  };
  const kill9 = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await gone;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    start,
    kill9,
    destroy: async () => {
      await kill9();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
