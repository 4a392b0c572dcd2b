import { rmSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import pg from 'pg';
import type { FakeTelegramServer } from '../../test/support/fake-telegram-server.js';
import { freePort, spawnScript, waitHttpReady, type ScriptProcess } from '../../test/support/spawn-script.js';
import { dbUrl } from '../lib/pg.js';
import { BENCH_PREFIX, BENCH_TG_SECRET, BENCH_TG_TOKEN, startProduct, type RunningProduct } from '../lib/product.js';
import { REDIS_URL } from '../lib/redis-keys.js';
import { LOOP_PROBE_FLAGS, LoopProbe } from './loop-reader.js';

export const PRODUCT_DB = 'sipas_bench';
export const SPLIT_DB = 'sipas_bench_split';
export const GRAMMY_DB = 'sipas_bench_grammy';
export const GRAMMY_PREFIX = '{bench-grammy}';
export const SPLIT_PREFIX = '{bench-split}';

/**
 * product: `src/main.ts` (web + workers in one process, as `npm start`);
 * product-split: `src/main.ts --web` and `src/main.ts --worker` as two processes (own database and prefix);
 * grammy: the grammY + conversations bot; bare: the bare fastify route.
 */
export type Target = 'bare' | 'product' | 'product-split' | 'grammy';
export const TARGETS: Target[] = ['bare', 'product', 'product-split', 'grammy'];
export const isProduct = (t: Target) => t === 'product' || t === 'product-split';

export type Started = {
  target: Target;
  proc: ScriptProcess;
  /** product-split: the worker process. */
  worker?: ScriptProcess;
  url: string;
  /** Product targets: their database, answers queue and the queues emptied between levels. */
  pool?: pg.Pool;
  answersQueue?: Queue;
  backlog?: Queue[];
  /** Log file of the process running the answers worker. */
  workerLog?: string;
  /** Event-loop and GC probes of the target's processes (web, and the worker of product-split). */
  probes: { web: LoopProbe; worker: LoopProbe | null };
};

export async function startTarget(target: Target, o: { fake: FakeTelegramServer; logDir: string; nodeFlags?: string[]; label: string; connection: Redis }): Promise<Started> {
  // Every target gets the same probe, so their loop figures compare.
  const nodeFlags = [...(o.nodeFlags ?? []), ...LOOP_PROBE_FLAGS];
  const probeFile = (name: string) => {
    const file = path.join(o.logDir, `loop-${name}-${o.label}.json`);
    // A file left from an earlier start would pass for a loaded probe.
    rmSync(file, { force: true });
    return file;
  };
  if (isProduct(target)) {
    const split = target === 'product-split';
    const database = split ? SPLIT_DB : PRODUCT_DB;
    const prefix = split ? SPLIT_PREFIX : BENCH_PREFIX;
    const webFile = probeFile(split ? `${target}-web` : target);
    const workerFile = probeFile(`${target}-worker`);
    const web: RunningProduct = await startProduct({ database, prefix, telegramApiRoot: o.fake.url, logDir: o.logDir, label: `${o.label}${split ? '-web' : ''}`, role: split ? 'web' : 'both', nodeFlags, env: { LOOP_PROBE_FILE: webFile } });
    let worker: RunningProduct | undefined;
    try {
      if (split) worker = await startProduct({ database, prefix, telegramApiRoot: o.fake.url, logDir: o.logDir, label: `${o.label}-worker`, role: 'worker', nodeFlags, env: { LOOP_PROBE_FILE: workerFile } });
    } catch (err) {
      await web.proc.stop();
      throw err;
    }
    const queue = (name: string) => new Queue(name, { connection: o.connection, prefix });
    return {
      target,
      proc: web.proc,
      ...(worker ? { worker: worker.proc } : {}),
      url: web.url!,
      pool: new pg.Pool({ connectionString: dbUrl(database), max: 2 }),
      answersQueue: queue('answers'),
      backlog: [queue('outbound-telegram'), queue('reminders')],
      workerLog: path.join(o.logDir, `product-${o.label}${split ? '-worker' : ''}.log`),
      // startProduct returned after readiness (HTTP, or "workers started"): the probes are loaded.
      probes: { web: new LoopProbe(web.proc, webFile), worker: worker ? new LoopProbe(worker.proc, workerFile) : null },
    };
  }
  const port = await freePort();
  const entry = target === 'bare' ? 'bench/webhook/bare-server.ts' : 'bench/webhook/grammy-conversations-bot.ts';
  const webFile = probeFile(target);
  const proc = spawnScript(entry, {
    name: `${target}(${o.label})`,
    nodeFlags,
    logFile: path.join(o.logDir, `${target}-${o.label}.log`),
    env: { LOOP_PROBE_FILE: webFile, PORT: String(port), SECRET: BENCH_TG_SECRET, BOT_TOKEN: BENCH_TG_TOKEN, API_ROOT: o.fake.url, DATABASE_URL: dbUrl(GRAMMY_DB), REDIS_URL, REDIS_PREFIX: GRAMMY_PREFIX },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHttpReady(proc, `${url}/healthz`, 60_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { target, proc, url, probes: { web: new LoopProbe(proc, webFile), worker: null } };
}

export async function stopTarget(t: Started, graceMs?: number): Promise<void> {
  await t.proc.stop(graceMs);
  await t.worker?.stop(graceMs);
  await t.pool?.end();
  await t.answersQueue?.close();
  for (const q of t.backlog ?? []) await q.close();
}

/** Removes the product's outbound replies and reminder timers left from a run (rate-limited, they would pile up). */
export async function clearProductBacklog(t: Started): Promise<void> {
  for (const q of t.backlog ?? []) await q.drain(true);
}

