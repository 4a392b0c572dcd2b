import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Prisma } from '../../src/db/prisma-client.js';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { DEFAULT_JOB_OPTIONS } from '../../src/queues/job-defaults.js';
import { SqlPool } from '../../src/db/sql-pool.js';
import { AnswersBatcher } from '../../src/conversations/answers-batcher.js';
import { persistAnswersJob, ANSWERS_CONCURRENCY } from '../../src/queues/job-catalog.js';
import { completionRollupEntry, type Completed } from '../../src/responses/complete-response.js';
import { applyRollupIncrements, type RollupEntry } from '../../src/scoring/apply-rollup-increments.js';
import { newestProfile, summarizeProfile, type ProfileSummary } from '../lib/cpu-profile.js';
import { citizenEffectBatches, type EffectBatch } from '../lib/engine-citizen.js';
import { busyShare, cpuTimes, loadAverage, serviceCpuDelta, serviceCpuSeconds, type LoadAverage } from '../lib/machine.js';
import { dbUrl, dropDatabase } from '../lib/pg.js';
import { cpuSecondsOf, sampleRss, sleep } from '../lib/proc.js';
import { BENCH_PREFIX, startProduct } from '../lib/product.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { round0, round2 } from '../lib/stats.js';
import { benchUnits } from '../lib/units.js';

export const PERSIST_DB = 'sipas_bench_persist';

export type PersistenceRun = {
  citizens: number;
  /** Persisted-effect items: one per applied event (start, each answer, completion). */
  items: number;
  /** Answers jobs the batcher made of them. */
  jobs: number;
  itemsPerJob: { mean: number; max: number };
  expectedAnswers: number;
  storedAnswers: number;
  lostAnswers: number;
  completedResponses: number;
  rollupResponses: number;
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

/**
 * The rollup writes of one worker run replayed alone: the same completions, grouped into
 * the same jobs, applied with the worker's `applyRollupIncrements`, one transaction per
 * job, as many at once as the worker runs, into empty rollup tables (the warm-up's first).
 */
export type RollupShareRun = {
  concurrency: number;
  completions: number;
  transactions: number;
  rowsUpserted: number;
  ms: number;
  postgresCpuSeconds: number;
  /** PostgreSQL CPU of the rollup writes per answer of the run, and as a share of the worker run's PostgreSQL CPU. */
  postgresUsPerAnswer: number;
  workerRunPostgresUsPerAnswer: number;
  shareOfWorkerRunPostgres: number;
};

export type BaselineRun = { rows: number; connections: number; ms: number; rowsPerSecond: number; serviceCpuSeconds: { postgres: number; redis: number }; loadBefore: LoadAverage; loadAfter: LoadAverage };

/** `worker` is the median of `workerRuns` by answers/s (each a fresh worker process and database, measured after a warm-up). */
export type PersistenceResult = { worker: PersistenceRun; workerRuns: PersistenceRun[]; warmupCitizens: number; baseline: BaselineRun; rollups: RollupShareRun | null; profile: { run: PersistenceRun; profile: ProfileSummary | null } | null };

/**
 * The effect batches of `citizens` surveys, interleaved round-robin (step 1 of every
 * citizen, then step 2, …) as concurrent conversations reach the queue, so a citizen's
 * response_started is queued well before their answers.
 */
function interleavedBatches(citizens: number, firstChat = 0): { batches: EffectBatch[]; answers: number } {
  const def = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2017')!;
  const units = benchUnits();
  const at = new Date();
  const per = Array.from({ length: citizens }, (_, i) => {
    const u = units[i % units.length]!;
    return citizenEffectBatches(def, i, 800_000_000 + firstChat + i, u.code, u.name, at);
  });
  const batches: EffectBatch[] = [];
  const longest = Math.max(...per.map((p) => p.batches.length));
  for (let s = 0; s < longest; s++) for (const p of per) if (p.batches[s]) batches.push(p.batches[s]!);
  return { batches, answers: per.reduce((sum, p) => sum + p.answers, 0) };
}

async function insertUnits(pool: pg.Pool): Promise<void> {
  const units = benchUnits();
  await pool.query(
    `INSERT INTO units (code, name, "group", active, updated_at)
     SELECT * , true, now() FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (code) DO NOTHING`,
    [units.map((u) => u.code), units.map((u) => u.name), units.map((u) => u.group)],
  );
}

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

/**
 * Hands `batches` to the paused queue through the product's batcher, the way the webhook
 * path does: all at once, as many concurrent conversations would, so jobs are as large as
 * the group commit makes them under this load. Returns each job's items and the time taken.
 */
async function enqueueThroughBatcher(queue: Queue, batches: EffectBatch[]): Promise<{ jobs: EffectBatch[][]; enqueueMs: number }> {
  await queue.pause();
  const e0 = performance.now();
  const jobs: EffectBatch[][] = [];
  const batcher = new AnswersBatcher(async (items) => {
    jobs.push(items);
    const data = persistAnswersJob.schema.parse({ batchId: randomUUID(), items });
    await queue.add(persistAnswersJob.name, data, { ...persistAnswersJob.options, jobId: persistAnswersJob.jobId(data) });
  });
  await Promise.all(batches.map((b) => batcher.submit(b)));
  return { jobs, enqueueMs: performance.now() - e0 };
}

/** Resumes the queue and waits until `total` jobs have finished (completed or failed) since the queue was made. */
async function drainUntil(queue: Queue, total: number): Promise<void> {
  await queue.resume();
  const deadline = Date.now() + 30 * 60_000;
  // Watch the queue, not the tables: counting rows every few ms would load the very
  // database being measured. A job completes only after its transaction committed.
  for (;;) {
    const c = await queue.getJobCounts('completed', 'failed');
    if ((c.completed ?? 0) + (c.failed ?? 0) >= total || Date.now() > deadline) return;
    await sleep(10);
  }
}

type RunJobs = { warmup: EffectBatch[][]; measured: EffectBatch[][] };

async function workerRun(o: { citizens: number; warmupCitizens: number; fakeUrl: string; logDir: string; label: string; nodeFlags?: string[]; log: (s: string) => void }): Promise<{ run: PersistenceRun; pid: number; jobs: RunJobs }> {
  await dropDatabase(PERSIST_DB);
  await deleteKeys(BENCH_PREFIX);
  const product = await startProduct({ database: PERSIST_DB, telegramApiRoot: o.fakeUrl, logDir: o.logDir, label: o.label, role: 'worker', ...(o.nodeFlags ? { nodeFlags: o.nodeFlags } : {}) });
  const pool = new pg.Pool({ connectionString: dbUrl(PERSIST_DB), max: 2 });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('answers', { connection, prefix: BENCH_PREFIX, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  let result: { run: PersistenceRun; pid: number; jobs: RunJobs };
  const jobs: RunJobs = { warmup: [], measured: [] };
  let xactBefore: XactStats;
  try {
    await insertUnits(pool);
    // Warm-up: a long-running worker has its code optimised and its connections open; a
    // fresh one would spend the first seconds of the measurement on that.
    let warmupJobs = 0;
    let warmupAnswers = 0;
    let warmupCompleted = 0;
    if (o.warmupCitizens > 0) {
      const warm = interleavedBatches(o.warmupCitizens, 100_000_000);
      jobs.warmup = (await enqueueThroughBatcher(queue, warm.batches)).jobs;
      warmupJobs = jobs.warmup.length;
      await drainUntil(queue, warmupJobs);
      warmupAnswers = warm.answers;
      warmupCompleted = o.warmupCitizens;
    }
    const { batches, answers: expected } = interleavedBatches(o.citizens);
    const { jobs: measuredJobs, enqueueMs } = await enqueueThroughBatcher(queue, batches);
    jobs.measured = measuredJobs;
    const jobSizes = measuredJobs.map((j) => j.length);
    o.log(`persistence: ${batches.length} items (${expected} answers) queued as ${jobSizes.length} jobs in ${round0(enqueueMs)} ms; draining`);

    const loadBefore = loadAverage();
    const xact0 = await xactStats();
    const cpu0 = cpuSecondsOf(product.proc.pid) ?? 0;
    const sys0 = cpuTimes();
    const svc0 = serviceCpuSeconds();
    const rss = sampleRss(product.proc.pid);
    const t0 = performance.now();
    await drainUntil(queue, warmupJobs + jobSizes.length);
    let stored = 0;
    let completed = 0;
    let polls = 0;
    const drainMs = performance.now() - t0;
    const cpu1 = cpuSecondsOf(product.proc.pid) ?? 0;
    const sys1 = cpuTimes();
    const svc1 = serviceCpuSeconds();
    const mem = rss.stop();
    const r = await pool.query<{ answers: number; completed: number }>(
      `SELECT (SELECT count(*)::int FROM answers) AS answers, (SELECT count(*)::int FROM responses WHERE status = 'completed') AS completed`,
    );
    polls++;
    stored = r.rows[0]!.answers - warmupAnswers;
    completed = r.rows[0]!.completed - warmupCompleted;
    const loadAfter = loadAverage();
    // Let retried jobs settle before counting failures.
    for (let i = 0; i < 100; i++) {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed');
      if ((c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
      await sleep(100);
    }
    const failed = (await queue.getJobCounts('failed')).failed ?? 0;
    polls++;
    const rollups = await pool.query<{ n: number }>(`SELECT (coalesce(sum(count), 0) - ${warmupCompleted})::int AS n FROM option_rollups WHERE question_code = '__responses'`);
    const logText = readFileSync(path.join(o.logDir, `product-${o.label}.log`), 'utf8');
    const failedAttempts = logText.split('\n').filter((l) => l.includes('"msg":"job failed"') && l.includes('"queue":"answers"')).length;
    const seconds = drainMs / 1000;
    result = {
      pid: product.proc.pid,
      jobs,
      run: {
        citizens: o.citizens,
        items: batches.length,
        jobs: jobSizes.length,
        itemsPerJob: { mean: round2(batches.length / jobSizes.length), max: Math.max(...jobSizes) },
        expectedAnswers: expected,
        storedAnswers: stored,
        lostAnswers: expected - stored,
        completedResponses: completed,
        rollupResponses: rollups.rows[0]!.n,
        enqueueMs: round0(enqueueMs),
        drainMs: round0(drainMs),
        answersPerSecond: round0(stored / seconds),
        itemsPerSecond: round0(batches.length / seconds),
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
    // The benchmark's own polling queries are transactions too: leave them out.
    xactBefore = { ...xact0, committed: xact0.committed + polls };
  } finally {
    await queue.close();
    connection.disconnect();
    await pool.end();
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

const ROLLUP_TABLES = 'criterion_rollups, criterion_rollups_monthly, option_rollups, option_rollups_monthly';

/** Each job's completions as the worker turns them into rollup entries (unit from the response's start). */
function rollupEntriesOf(jobs: EffectBatch[][], questionnaireId: number, unitIds: Map<string, number>): RollupEntry[][] {
  const def = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2017')!;
  const unitOf = new Map<string, number>();
  for (const item of jobs.flat()) for (const e of item.effects) if (e.type === 'response_started' && e.unitCode) unitOf.set(e.responseId, unitIds.get(e.unitCode)!);
  return jobs.map((items) =>
    items.flatMap((item) => item.effects.filter((e): e is Completed => e.type === 'response_completed').map((e) => completionRollupEntry(def, e, { questionnaireId, unitId: unitOf.get(e.responseId)! }))),
  );
}

/** Applies each job's entries in a transaction of its own, `ANSWERS_CONCURRENCY` at a time, in job order. */
async function applyJobs(sql: SqlPool, entries: RollupEntry[][]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: ANSWERS_CONCURRENCY }, async () => {
      for (let i = next++; i < entries.length; i = next++) {
        if (entries[i]!.length > 0) await sql.transaction((tx) => applyRollupIncrements(tx, entries[i]!));
      }
    }),
  );
}

/**
 * Replays the rollup writes of `source` (the median worker run) alone, in the database the
 * runs left behind, to show how much of the worker run's PostgreSQL time they are.
 */
async function rollupShareRun(source: { run: PersistenceRun; jobs: RunJobs }): Promise<RollupShareRun> {
  const sql = new SqlPool(dbUrl(PERSIST_DB), ANSWERS_CONCURRENCY);
  try {
    await sql.$executeRaw`${Prisma.raw(`TRUNCATE ${ROLLUP_TABLES}`)}`;
    const [q] = await sql.$queryRaw<{ id: number }[]>`SELECT id FROM questionnaires WHERE code = 'sipas-2017' ORDER BY version DESC LIMIT 1`;
    const units = new Map((await sql.$queryRaw<{ id: number; code: string }[]>`SELECT id, code FROM units`).map((u) => [u.code, u.id]));
    await applyJobs(sql, rollupEntriesOf(source.jobs.warmup, q!.id, units));
    const measured = rollupEntriesOf(source.jobs.measured, q!.id, units);
    const svc0 = serviceCpuSeconds();
    const t0 = performance.now();
    await applyJobs(sql, measured);
    const ms = performance.now() - t0;
    const svc1 = serviceCpuSeconds();
    const postgres = serviceCpuDelta(svc0, svc1).postgres;
    const rows = measured.flat().reduce((n, e) => n + 2 * (e.inc.criteria.length + e.inc.options.length), 0);
    const answers = source.run.storedAnswers;
    const workerUs = (source.run.serviceCpuSeconds.postgres * 1e6) / answers;
    return {
      concurrency: ANSWERS_CONCURRENCY,
      completions: measured.flat().length,
      transactions: measured.filter((e) => e.length > 0).length,
      rowsUpserted: rows,
      ms: round0(ms),
      postgresCpuSeconds: postgres,
      postgresUsPerAnswer: round2((postgres * 1e6) / answers),
      workerRunPostgresUsPerAnswer: round2(workerUs),
      shareOfWorkerRunPostgres: round2(postgres / source.run.serviceCpuSeconds.postgres),
    };
  } finally {
    await sql.end();
  }
}

/**
 * The baseline: the same number of answers written as single-row INSERT statements
 * (autocommit) from 16 connections into a copy of the answers table (same columns, defaults and indexes; no foreign key).
 */
async function baselineRun(rows: number): Promise<BaselineRun> {
  const connections = 16;
  const setup = new pg.Client({ connectionString: dbUrl(PERSIST_DB) });
  await setup.connect();
  await setup.query('DROP TABLE IF EXISTS bench_single_answers');
  await setup.query('CREATE TABLE bench_single_answers (LIKE answers INCLUDING DEFAULTS INCLUDING INDEXES)');
  await setup.end();
  const pool = new pg.Pool({ connectionString: dbUrl(PERSIST_DB), max: connections });
  const responseIds = Array.from({ length: Math.ceil(rows / 36) }, () => crypto.randomUUID());
  let next = 0;
  const loadBefore = loadAverage();
  const svc0 = serviceCpuSeconds();
  const t0 = performance.now();
  let ms = 0;
  let svc1 = svc0;
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        for (let i = next++; i < rows; i = next++) {
          await pool.query(
            `INSERT INTO bench_single_answers (response_id, question_code, status, score, value, seq, answered_at) VALUES ($1, $2, 'answered', $3, $4::jsonb, $5, now())`,
            [responseIds[Math.floor(i / 36)], `q${i % 36}`, (i % 5) + 1, String((i % 5) + 1), (i % 36) + 1],
          );
        }
      }),
    );
    ms = performance.now() - t0;
    // Read before the pool closes: ended backends drop out of the sum.
    svc1 = serviceCpuSeconds();
  } finally {
    await pool.end();
  }
  return { rows, connections, ms: round0(ms), rowsPerSecond: round0((rows / ms) * 1000), serviceCpuSeconds: serviceCpuDelta(svc0, svc1), loadBefore, loadAfter: loadAverage() };
}

/** Benchmark 2: answers/s through the answers worker (with rollups) vs single-row inserts. */
export async function runPersistenceBench(o: {
  citizens: number;
  profileCitizens: number;
  /** Measured runs, each a fresh worker process and database; the median is reported. */
  repeats: number;
  fakeUrl: string;
  logDir: string;
  resultsDir: string;
  profile: boolean;
  log: (s: string) => void;
}): Promise<PersistenceResult> {
  const warmupCitizens = Math.max(10, Math.round(o.citizens / 10));
  const workerRuns: PersistenceRun[] = [];
  const jobsOf = new Map<PersistenceRun, RunJobs>();
  for (let i = 0; i < o.repeats; i++) {
    const { run, jobs } = await workerRun({ citizens: o.citizens, warmupCitizens, fakeUrl: o.fakeUrl, logDir: o.logDir, label: `persistence-${i + 1}`, log: o.log });
    workerRuns.push(run);
    jobsOf.set(run, jobs);
    o.log(`persistence: run ${i + 1}/${o.repeats}: worker ${run.answersPerSecond} answers/s (${run.storedAnswers}/${run.expectedAnswers} in ${run.drainMs} ms, ${run.failedAttempts} retried attempts; warm-up ${warmupCitizens} citizens)`);
  }
  const worker = [...workerRuns].sort((a, b) => a.answersPerSecond - b.answersPerSecond)[Math.floor(workerRuns.length / 2)]!;
  o.log(`persistence: worker median ${worker.answersPerSecond} answers/s`);
  const baseline = await baselineRun(worker.expectedAnswers);
  o.log(`persistence: single-row INSERT baseline ${baseline.rowsPerSecond} rows/s`);
  const rollups = await rollupShareRun({ run: worker, jobs: jobsOf.get(worker)! });
  jobsOf.clear();
  o.log(`persistence: rollup writes alone: ${rollups.rowsUpserted} rows for ${rollups.completions} completions in ${rollups.ms} ms, PostgreSQL ${rollups.postgresUsPerAnswer} µs per answer = ${Math.round(rollups.shareOfWorkerRunPostgres * 100)} % of the median run's ${rollups.workerRunPostgresUsPerAnswer} µs`);
  let profile: PersistenceResult['profile'] = null;
  if (o.profile) {
    const dir = path.join(o.resultsDir, 'profiles');
    const p = await workerRun({ citizens: o.profileCitizens, warmupCitizens: 0, fakeUrl: o.fakeUrl, logDir: o.logDir, label: 'persistence-profile', nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`], log: o.log });
    const file = newestProfile(dir, p.pid);
    profile = { run: p.run, profile: file ? summarizeProfile(file) : null };
    o.log(`persistence: profiled run ${p.run.answersPerSecond} answers/s → ${file ?? 'no profile written'}`);
  }
  return { worker, workerRuns, warmupCitizens, baseline, rollups, profile };
}
