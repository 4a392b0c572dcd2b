import path from 'node:path';
import pg from 'pg';
import { newestProfile, summarizeProfile, type ProfileSummary } from '../lib/cpu-profile.js';
import { loadAverage, serviceCpuDelta, serviceCpuSeconds, type LoadAverage } from '../lib/machine.js';
import { dbUrl } from '../lib/pg.js';
import { round0 } from '../lib/stats.js';
import { PERSIST_DB, workerRun, type PersistenceRun } from './worker-run.js';

export type { PersistenceRun } from './worker-run.js';

/**
 * The rollup writes of one worker run replayed alone (results written before the
 * benchmark reached the product through its public entry points only; kept so they still render).
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
export type PersistenceResult = { worker: PersistenceRun; workerRuns: PersistenceRun[]; warmupCitizens: number; baseline: BaselineRun; rollups?: RollupShareRun | null; profile: { run: PersistenceRun; profile: ProfileSummary | null } | null };

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
  for (let i = 0; i < o.repeats; i++) {
    const { run } = await workerRun({ citizens: o.citizens, warmupCitizens, fakeUrl: o.fakeUrl, logDir: o.logDir, label: `persistence-${i + 1}`, log: o.log });
    workerRuns.push(run);
    o.log(`persistence: run ${i + 1}/${o.repeats}: worker ${run.answersPerSecond} answers/s (${run.storedAnswers}/${run.expectedAnswers} in ${run.drainMs} ms, ${run.failedAttempts} retried attempts; warm-up ${warmupCitizens} citizens)`);
  }
  const worker = [...workerRuns].sort((a, b) => a.answersPerSecond - b.answersPerSecond)[Math.floor(workerRuns.length / 2)]!;
  o.log(`persistence: worker median ${worker.answersPerSecond} answers/s`);
  const baseline = await baselineRun(worker.expectedAnswers);
  o.log(`persistence: single-row INSERT baseline ${baseline.rowsPerSecond} rows/s`);
  let profile: PersistenceResult['profile'] = null;
  if (o.profile) {
    const dir = path.join(o.resultsDir, 'profiles');
    const p = await workerRun({ citizens: o.profileCitizens, warmupCitizens: 0, fakeUrl: o.fakeUrl, logDir: o.logDir, label: 'persistence-profile', nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`], log: o.log });
    const file = newestProfile(dir, p.pid);
    profile = { run: p.run, profile: file ? summarizeProfile(file) : null };
    o.log(`persistence: profiled run ${p.run.answersPerSecond} answers/s → ${file ?? 'no profile written'}`);
  }
  return { worker, workerRuns, warmupCitizens, baseline, profile };
}
