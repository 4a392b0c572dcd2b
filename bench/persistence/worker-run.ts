import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { cpuSecondsOf, sampleRss, sleep } from '../../test/support/spawn-script.js';
import { busyShare, cpuTimes, loadAverage, serviceCpuDelta, serviceCpuSeconds, type LoadAverage } from '../lib/machine.js';
import { dbUrl, dropDatabase } from '../lib/pg.js';
import { BENCH_PREFIX, inject, openProduct, startProduct } from '../lib/product.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { round0, round2 } from '../lib/stats.js';
import { benchUnits } from '../lib/units.js';
import { ConversationBacklog } from './conversation-backlog.js';

export const PERSIST_DB = 'sipas_bench_persist';

export type PersistenceRun = {
  citizens: number;
  /** Persisted-effect items: one per applied event that stores something (start, each answer, completion). */
  items: number;
  /** Answers jobs the product's group commit made of them. */
  jobs: number;
  itemsPerJob: { mean: number; max: number };
  expectedAnswers: number;
  storedAnswers: number;
  lostAnswers: number;
  completedResponses: number;
  rollupResponses: number;
  /** Handing the held outboxes to the queues (the conversations before it are not timed). */
  enqueueMs: number;
  drainMs: number;
  answersPerSecond: number;
  itemsPerSecond: number;
  jobsPerSecond: number;
  failedJobs: number;
  /** "job failed" log lines: attempts that failed and were retried (e.g. an answer before its response row). */
  failedAttempts: number;
  /** Citizens drained by the same worker process just before the measured ones (not counted). */
  warmupCitizens: number;
  workerCpuSeconds: number;
  workerCores: number;
  machineBusyShare: number;
  /** CPU seconds of all postgres / redis-server processes while draining. */
  serviceCpuSeconds: { postgres: number; redis: number };
  rss: { peakRssMiB: number; hwmMiB: number };
  /** pg_stat_database of the worker's database over the drain (read after the worker stopped, so its stats are flushed). */
  transactions: { committed: number; rolledBack: number; perJob: number; tuplesInserted: number; tuplesUpdated: number };
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

type XactStats = { committed: number; rolledBack: number; inserted: number; updated: number };

async function xactStats(): Promise<XactStats> {
  const c = new pg.Client({ connectionString: dbUrl('postgres') });
  await c.connect();
  try {
    const r = await c.query<{ committed: string; rolled_back: string; inserted: string; updated: string }>(
      'SELECT xact_commit AS committed, xact_rollback AS rolled_back, tup_inserted AS inserted, tup_updated AS updated FROM pg_stat_database WHERE datname = $1',
      [PERSIST_DB],
    );
    const row = r.rows[0];
    return { committed: Number(row?.committed ?? 0), rolledBack: Number(row?.rolled_back ?? 0), inserted: Number(row?.inserted ?? 0), updated: Number(row?.updated ?? 0) };
  } finally {
    await c.end();
  }
}

/** Resumes the queue and waits until `total` jobs have finished (completed or failed) since the queue was made. */
async function drainUntil(queue: Queue): Promise<void> {
  await queue.resume();
  const deadline = Date.now() + 30 * 60_000;
  // Watch the queue, not the tables: counting rows every few ms would load the very
  // database being measured. Every job was queued before the resume, and a finished job is
  // deleted at once (its transaction committed), so the queue is drained when none is left.
  for (;;) {
    const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
    if (Object.values(c).every((n) => n === 0) || Date.now() > deadline) return;
    await sleep(10);
  }
}

/** The items of each job waiting in the (paused) answers queue. */
async function queuedJobSizes(queue: Queue): Promise<number[]> {
  const jobs = await queue.getJobs(['waiting', 'prioritized']);
  return jobs.map((j) => ((j.data as { items?: unknown[] }).items ?? []).length);
}

/**
 * One measured drain: a fresh database and worker process (`src/main.ts --worker`), a
 * warm-up backlog drained first, then the measured backlog — both built through the
 * product's conversation service in this process while the answers queue is paused —
 * drained with the worker's CPU, RSS and PostgreSQL's transactions recorded.
 */
export async function workerRun(o: { citizens: number; warmupCitizens: number; fakeUrl: string; logDir: string; label: string; nodeFlags?: string[]; log: (s: string) => void }): Promise<{ run: PersistenceRun; pid: number }> {
  await dropDatabase(PERSIST_DB);
  await deleteKeys(BENCH_PREFIX);
  const product = await startProduct({ database: PERSIST_DB, telegramApiRoot: o.fakeUrl, logDir: o.logDir, label: o.label, role: 'worker', ...(o.nodeFlags ? { nodeFlags: o.nodeFlags } : {}) });
  const app = await openProduct({ database: PERSIST_DB, telegramApiRoot: o.fakeUrl });
  const pool = new pg.Pool({ connectionString: dbUrl(PERSIST_DB), max: 2 });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  // The answers queue by name, to hold it while the backlog builds and watch it drain.
  const queue = new Queue('answers', { connection, prefix: BENCH_PREFIX });
  let result: { run: PersistenceRun; pid: number };
  let xactBefore: XactStats;
  try {
    await queue.pause();
    await inject(app, 'PUT', '/api/v1/units', benchUnits());
    const backlog = new ConversationBacklog(app);
    await backlog.init();
    // Warm-up: a long-running worker has its code optimised and its connections open; a
    // fresh one would spend the first seconds of the measurement on that.
    let warmupAnswers = 0;
    if (o.warmupCitizens > 0) {
      warmupAnswers = await backlog.converse(o.warmupCitizens, 100_000_000);
      await backlog.release();
      await drainUntil(queue);
      await queue.pause();
    }
    const expected = await backlog.converse(o.citizens, 0);
    const e0 = performance.now();
    await backlog.release();
    const enqueueMs = performance.now() - e0;
    const jobSizes = await queuedJobSizes(queue);
    const items = jobSizes.reduce((s, n) => s + n, 0);
    o.log(`persistence: ${items} items (${expected} answers) queued as ${jobSizes.length} jobs in ${round0(enqueueMs)} ms; draining`);

    const loadBefore = loadAverage();
    const xact0 = await xactStats();
    const cpu0 = cpuSecondsOf(product.proc.pid) ?? 0;
    const sys0 = cpuTimes();
    const svc0 = serviceCpuSeconds();
    const rss = sampleRss(product.proc.pid);
    const t0 = performance.now();
    await drainUntil(queue);
    const drainMs = performance.now() - t0;
    const cpu1 = cpuSecondsOf(product.proc.pid) ?? 0;
    const sys1 = cpuTimes();
    const svc1 = serviceCpuSeconds();
    const mem = rss.stop();
    const r = await pool.query<{ answers: number; completed: number }>(`SELECT (SELECT count(*)::int FROM answers) AS answers, (SELECT count(*)::int FROM responses WHERE status = 'completed') AS completed`);
    const stored = r.rows[0]!.answers - warmupAnswers;
    const completed = r.rows[0]!.completed - o.warmupCitizens;
    const loadAfter = loadAverage();
    // Let retried jobs settle before counting failures.
    for (let i = 0; i < 100; i++) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed');
      if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
      await sleep(100);
    }
    const failed = (await queue.getJobCounts('failed')).failed ?? 0;
    const rollups = await pool.query<{ n: number }>(`SELECT (coalesce(sum(count), 0) - ${o.warmupCitizens})::int AS n FROM option_rollups WHERE question_code = '__responses'`);
    const logText = readFileSync(path.join(o.logDir, `product-${o.label}.log`), 'utf8');
    const failedAttempts = logText.split('\n').filter((l) => l.includes('"msg":"job failed"') && l.includes('"queue":"answers"')).length;
    const seconds = drainMs / 1000;
    result = {
      pid: product.proc.pid,
      run: {
        citizens: o.citizens,
        items,
        jobs: jobSizes.length,
        itemsPerJob: { mean: round2(items / jobSizes.length), max: Math.max(...jobSizes) },
        expectedAnswers: expected,
        storedAnswers: stored,
        lostAnswers: expected - stored,
        completedResponses: completed,
        rollupResponses: rollups.rows[0]!.n,
        enqueueMs: round0(enqueueMs),
        drainMs: round0(drainMs),
        answersPerSecond: round0(stored / seconds),
        itemsPerSecond: round0(items / seconds),
        jobsPerSecond: round0(jobSizes.length / seconds),
        failedJobs: failed,
        failedAttempts,
        warmupCitizens: o.warmupCitizens,
        workerCpuSeconds: round2(cpu1 - cpu0),
        workerCores: round2((cpu1 - cpu0) / seconds),
        machineBusyShare: busyShare(sys0, sys1),
        serviceCpuSeconds: serviceCpuDelta(svc0, svc1),
        rss: mem,
        transactions: { committed: 0, rolledBack: 0, perJob: 0, tuplesInserted: 0, tuplesUpdated: 0 },
        loadBefore,
        loadAfter,
      },
    };
    // The benchmark's own two counting queries are transactions too: leave them out.
    xactBefore = { ...xact0, committed: xact0.committed + 2 };
  } finally {
    await queue.close();
    connection.disconnect();
    await pool.end();
    await app.close();
    await product.proc.stop(60_000);
    await deleteKeys(BENCH_PREFIX);
  }
  // The worker has exited: its backends flushed their statistics.
  await sleep(500);
  const xact1 = await xactStats();
  const committed = xact1.committed - xactBefore.committed;
  result.run.transactions = {
    committed,
    rolledBack: xact1.rolledBack - xactBefore.rolledBack,
    perJob: round2(committed / result.run.jobs),
    tuplesInserted: xact1.inserted - xactBefore.inserted,
    tuplesUpdated: xact1.updated - xactBefore.updated,
  };
  return result;
}
