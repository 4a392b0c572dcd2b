import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { newestProfile, summarizeProfile, type ProfileSummary } from '../lib/cpu-profile.js';
import type { FakeBotApi } from '../lib/fake-bot-api.js';
import { busyShare, cpuTimes, loadAverage, serviceCpuDelta, serviceCpuSeconds, type LoadAverage } from '../lib/machine.js';
import { createDatabase, dbUrl, dropDatabase } from '../lib/pg.js';
import { cpuSecondsOf, freePort, sampleRss, sleep, spawnTs, waitHttpReady, type Managed } from '../lib/proc.js';
import { api, BENCH_PREFIX, BENCH_TG_SECRET, BENCH_TG_TOKEN, startProduct, type RunningProduct } from '../lib/product.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { round2 } from '../lib/stats.js';
import { citizenPlan } from '../lib/survey-plan.js';
import { benchUnits } from '../lib/units.js';
import type { LoadInput, LoadOutput } from './load-generator.js';
import { handoffCost, type HandoffCost } from './handoff-cost.js';
import { redisPerUpdate, type RedisPerUpdate } from './redis-per-update.js';

export const PRODUCT_DB = 'sipas_bench';
export const SPLIT_DB = 'sipas_bench_split';
export const GRAMMY_DB = 'sipas_bench_grammy';
const GRAMMY_PREFIX = '{bench-grammy}';
const SPLIT_PREFIX = '{bench-split}';

/**
 * product: `src/main.ts` (web + workers in one process, as `npm start`);
 * product-split: `src/main.ts --web` and `src/main.ts --worker` as two processes (own database and prefix);
 * grammy: the grammY + conversations bot; bare: the bare fastify route.
 */
export type Target = 'bare' | 'product' | 'product-split' | 'grammy';
export const TARGETS: Target[] = ['bare', 'product', 'product-split', 'grammy'];
const isProduct = (t: Target) => t === 'product' || t === 'product-split';

export type LevelRun = {
  target: Target;
  citizens: number;
  load: LoadOutput;
  expectedAnswers: number | null;
  storedAnswers: number | null;
  lostAnswers: number | null;
  completedResponses: number | null;
  /** From the last acknowledged update until every answer is in PostgreSQL. */
  drainAfterLastAckMs: number | null;
  /** From the first update sent until every answer is in PostgreSQL. */
  endToEndMs: number | null;
  /** Product only: responses created during the level that belong to no invitation (a /start that did not resolve to its invitation). */
  strayResponses: number | null;
  /** Failed jobs of the answers queue (product only). */
  failedAnswerJobs: number | null;
  /** Answers-job attempts that failed and were retried (e.g. an answer before its response row): "job failed" log lines. */
  failedAnswerAttempts: number | null;
  rss: { peakRssMiB: number; hwmMiB: number };
  /** product-split only: the worker process. */
  workerRss: { peakRssMiB: number; hwmMiB: number } | null;
  /** CPU seconds of the target's processes (web + worker for product-split). */
  targetCpuSeconds: number;
  /** CPU seconds of the target per second of the load phase (1.0 = one core). */
  targetCores: number;
  machineBusyShare: number;
  /** CPU seconds of all postgres / redis-server processes during the load phase. */
  serviceCpuSeconds: { postgres: number; redis: number };
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

/**
 * The open-loop run: every target offered the same fixed rate — the target ratio (4×)
 * times grammY's closed-loop rate at the top level of the same run — by the same number
 * of citizens, to read ack latency at that load rather than at saturation.
 */
export type PacedResult = { ratio: number; basisTarget: Target; basisUpdatesPerSecond: number; ratePerSecond: number; citizens: number; runs: LevelRun[] };

export type WebhookResult = {
  levels: number[];
  paced: PacedResult | null;
  warmupCitizens: number;
  runs: LevelRun[];
  /**
   * The top level measured again, every target once per round, rounds back to back: the
   * machine's speed drifts by tens of percent within minutes, so one product-vs-grammY
   * pair can land on different speeds; the median of the rounds' ratios is the figure.
   */
  topRounds?: LevelRun[][];
  profiles: { target: Target; citizens: number; load: LoadOutput; profile: ProfileSummary | null }[];
  /** Redis commands per update of the product's web path (one survey, MONITOR). */
  redisPerUpdate: RedisPerUpdate | null;
  /** CPU per update of the conversation path with and without the outbox hand-off (absent in results written before it existed). */
  handoff?: HandoffCost | null;
  botApiCalls: Record<string, Record<string, number>>;
};

type Started = {
  target: Target;
  proc: Managed;
  /** product-split: the worker process. */
  worker?: Managed;
  url: string;
  /** Product targets: their database, answers queue and the queues emptied between levels. */
  pool?: pg.Pool;
  answersQueue?: Queue;
  backlog?: Queue[];
  /** Log file of the process running the answers worker. */
  workerLog?: string;
};

function failedAttemptsIn(logFile: string | undefined): number {
  if (!logFile) return 0;
  try {
    return readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((l) => l.includes('"msg":"job failed"') && l.includes('"queue":"answers"')).length;
  } catch {
    return 0;
  }
}

const sipas2017 = () => loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2017')!;

let runCounter = 0;

async function runGenerator(o: { url: string; citizens: LoadInput['citizens']; resultsDir: string; logDir: string; tag: string; rate?: number }): Promise<LoadOutput> {
  const input: LoadInput = {
    url: `${o.url}/webhooks/telegram`,
    secret: BENCH_TG_SECRET,
    citizens: o.citizens,
    updateIdBase: runCounter * 1_000_000,
    maxAttempts: 20,
    questionnaire: 'sipas-2017',
    ...(o.rate ? { ratePerSecond: o.rate } : {}),
  };
  const inPath = path.join(o.resultsDir, `load-${o.tag}.in.json`);
  const outPath = path.join(o.resultsDir, `load-${o.tag}.out.json`);
  writeFileSync(inPath, JSON.stringify(input));
  const gen = spawnTs(`generator(${o.tag})`, 'bench/webhook/load-generator.ts', { args: [inPath, outPath], logFile: path.join(o.logDir, 'load-generator.log') });
  const code = await gen.exited;
  if (code !== 0) throw new Error(`load generator failed (${code}):\n${gen.output().slice(-3000)}`);
  return JSON.parse(readFileSync(outPath, 'utf8')) as LoadOutput;
}

async function startTarget(target: Target, o: { fake: FakeBotApi; logDir: string; nodeFlags?: string[]; label: string; connection: Redis }): Promise<Started> {
  const flags = o.nodeFlags ? { nodeFlags: o.nodeFlags } : {};
  if (isProduct(target)) {
    const split = target === 'product-split';
    const database = split ? SPLIT_DB : PRODUCT_DB;
    const prefix = split ? SPLIT_PREFIX : BENCH_PREFIX;
    const web: RunningProduct = await startProduct({ database, prefix, telegramApiRoot: o.fake.url, logDir: o.logDir, label: `${o.label}${split ? '-web' : ''}`, role: split ? 'web' : 'both', ...flags });
    let worker: RunningProduct | undefined;
    try {
      if (split) worker = await startProduct({ database, prefix, telegramApiRoot: o.fake.url, logDir: o.logDir, label: `${o.label}-worker`, role: 'worker', ...flags });
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
    };
  }
  const port = await freePort();
  const entry = target === 'bare' ? 'bench/webhook/bare-server.ts' : 'bench/webhook/grammy-conversations-bot.ts';
  const proc = spawnTs(`${target}(${o.label})`, entry, {
    ...flags,
    logFile: path.join(o.logDir, `${target}-${o.label}.log`),
    env: { PORT: String(port), SECRET: BENCH_TG_SECRET, BOT_TOKEN: BENCH_TG_TOKEN, API_ROOT: o.fake.url, DATABASE_URL: dbUrl(GRAMMY_DB), REDIS_URL, REDIS_PREFIX: GRAMMY_PREFIX },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHttpReady(proc, `${url}/healthz`, 60_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return { target, proc, url };
}

async function stopTarget(t: Started, graceMs?: number): Promise<void> {
  await t.proc.stop(graceMs);
  await t.worker?.stop(graceMs);
  await t.pool?.end();
  await t.answersQueue?.close();
  for (const q of t.backlog ?? []) await q.close();
}

/** Citizens of one run: fresh chat ids; product citizens get an invitation each (created through the API). */
async function prepareCitizens(t: Started, n: number, tag: string): Promise<{ citizens: LoadInput['citizens']; invitationIds: string[] }> {
  runCounter++;
  const citizens: LoadInput['citizens'] = [];
  const invitationIds: string[] = [];
  const units = benchUnits();
  for (let i = 0; i < n; i++) {
    const chatId = 700_000_000 + runCounter * 10_000 + i;
    let startText = `/start bench${String(runCounter).padStart(6, '0')}x${String(i).padStart(8, '0')}`;
    if (isProduct(t.target)) {
      const unit = units[i % units.length]!;
      const res = await api<{ id: string; token: string }>(`${t.url}/api/v1/invitations`, 'POST', { unitCode: unit.code, channel: 'telegram', dossierCode: `BENCH-${tag}-${runCounter}-${i}`, procedureCode: '1.001234' });
      invitationIds.push(res.json.id);
      startText = `/start ${res.json.token}`;
    }
    citizens.push({ chatId, chatIndex: i, startText });
  }
  return { citizens, invitationIds };
}

async function productCounts(pool: pg.Pool, invitationIds: string[]): Promise<{ answers: number; completed: number }> {
  const r = await pool.query<{ answers: number; completed: number }>(
    `SELECT (SELECT count(*)::int FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.invitation_id = ANY($1::uuid[])) AS answers,
            (SELECT count(*)::int FROM responses WHERE invitation_id = ANY($1::uuid[]) AND status = 'completed') AS completed`,
    [invitationIds],
  );
  return r.rows[0]!;
}

async function strayResponses(pool: pg.Pool): Promise<number> {
  return (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM responses WHERE invitation_id IS NULL')).rows[0]!.n;
}

async function grammyCounts(pool: pg.Pool, chatIds: number[]): Promise<{ answers: number; completed: number }> {
  const r = await pool.query<{ answers: number; completed: number }>(
    `SELECT (SELECT count(*)::int FROM survey_answers a JOIN survey_responses r ON r.id = a.response_id WHERE r.chat_id = ANY($1::bigint[])) AS answers,
            (SELECT count(*)::int FROM survey_responses WHERE chat_id = ANY($1::bigint[]) AND completed_at IS NOT NULL) AS completed`,
    [chatIds],
  );
  return r.rows[0]!;
}

/** Removes the product's outbound replies and reminder timers left from a run (rate-limited, they would pile up). */
async function clearProductBacklog(t: Started): Promise<void> {
  for (const q of t.backlog ?? []) await q.drain(true);
}

async function runLevel(
  t: Started,
  n: number,
  o: { resultsDir: string; logDir: string; grammyPool: pg.Pool; drainTimeoutMs: number; tag: string; rate?: number },
): Promise<LevelRun> {
  const def = sipas2017();
  const { citizens, invitationIds } = await prepareCitizens(t, n, o.tag);
  const expected = citizens.reduce((s, c) => s + citizenPlan(def, c.chatIndex).answers.length, 0);
  const failedBefore = t.answersQueue ? ((await t.answersQueue.getJobCounts('failed')).failed ?? 0) : 0;
  const attemptsBefore = failedAttemptsIn(t.workerLog);
  const strayBefore = t.pool ? await strayResponses(t.pool) : 0;
  const loadBefore = loadAverage();
  const cpuOf = () => (cpuSecondsOf(t.proc.pid) ?? 0) + (t.worker ? (cpuSecondsOf(t.worker.pid) ?? 0) : 0);
  const cpu0 = cpuOf();
  const sys0 = cpuTimes();
  const svc0 = serviceCpuSeconds();
  const rss = sampleRss(t.proc.pid);
  const workerRss = t.worker ? sampleRss(t.worker.pid) : undefined;
  const load = await runGenerator({ url: t.url, citizens, resultsDir: o.resultsDir, logDir: o.logDir, tag: `${o.tag}-${t.target}-${n}`, ...(o.rate ? { rate: o.rate } : {}) });
  const cpu1 = cpuOf();
  const sys1 = cpuTimes();
  const svc1 = serviceCpuSeconds();

  let stored: number | null = null;
  let completed: number | null = null;
  let drain: number | null = null;
  let failedJobs: number | null = null;
  let failedAttempts: number | null = null;
  let stray: number | null = null;
  if (t.target !== 'bare') {
    const counts = t.pool ? () => productCounts(t.pool!, invitationIds) : () => grammyCounts(o.grammyPool, citizens.map((c) => c.chatId));
    const deadline = Date.now() + o.drainTimeoutMs;
    for (;;) {
      const c = await counts();
      stored = c.answers;
      completed = c.completed;
      if ((c.answers >= expected && c.completed >= n) || Date.now() > deadline) break;
      await sleep(25);
    }
    drain = Date.now() - load.finishedAt;
    if (t.answersQueue) failedJobs = ((await t.answersQueue.getJobCounts('failed')).failed ?? 0) - failedBefore;
    if (t.workerLog) failedAttempts = failedAttemptsIn(t.workerLog) - attemptsBefore;
    if (t.pool) stray = (await strayResponses(t.pool)) - strayBefore;
  }
  const mem = rss.stop();
  const workerMem = workerRss?.stop() ?? null;
  const loadAfter = loadAverage();
  const seconds = load.durationMs / 1000;
  return {
    target: t.target,
    citizens: n,
    load,
    expectedAnswers: t.target === 'bare' ? null : expected,
    storedAnswers: stored,
    lostAnswers: stored === null ? null : expected - stored,
    completedResponses: completed,
    drainAfterLastAckMs: drain,
    endToEndMs: drain === null ? null : drain + Math.round(load.durationMs),
    failedAnswerJobs: failedJobs,
    failedAnswerAttempts: failedAttempts,
    strayResponses: stray,
    rss: mem,
    workerRss: workerMem,
    targetCpuSeconds: round2(cpu1 - cpu0),
    targetCores: round2((cpu1 - cpu0) / seconds),
    machineBusyShare: busyShare(sys0, sys1),
    serviceCpuSeconds: serviceCpuDelta(svc0, svc1),
    loadBefore,
    loadAfter,
  };
}

/**
 * Benchmark 1: the webhook path of the product vs a bare fastify route (the ceiling) vs a
 * grammY + conversations bot, same load generator, same run, levels interleaved so the
 * three see the same background load.
 */
/** The throughput target of issue 6: the product at least this many times grammY + conversations. */
export const TARGET_RATIO = 4;

export async function runWebhookBench(o: { levels: number[]; targets?: Target[]; warmupCitizens: number; extraTopRounds: number; handoffCitizens: number; handoffRounds: number; fake: FakeBotApi; resultsDir: string; logDir: string; profile: boolean; log: (s: string) => void }): Promise<WebhookResult> {
  o.fake.setLimits(undefined);
  for (const db of [PRODUCT_DB, SPLIT_DB, GRAMMY_DB]) await dropDatabase(db);
  await createDatabase(GRAMMY_DB);
  for (const prefix of [BENCH_PREFIX, SPLIT_PREFIX, GRAMMY_PREFIX]) await deleteKeys(prefix);

  const grammyPool = new pg.Pool({ connectionString: dbUrl(GRAMMY_DB), max: 2 });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const started: Started[] = [];
  const runs: LevelRun[] = [];
  const topRounds: LevelRun[][] = [];
  const profiles: WebhookResult['profiles'] = [];
  const botApiCalls: WebhookResult['botApiCalls'] = {};
  let redisCounts: RedisPerUpdate | null = null;
  let handoff: HandoffCost | null = null;
  let paced: PacedResult | null = null;
  const common = { resultsDir: o.resultsDir, logDir: o.logDir, grammyPool, drainTimeoutMs: 3 * 60_000 };
  try {
    for (const target of o.targets ?? TARGETS) {
      const t = await startTarget(target, { fake: o.fake, logDir: o.logDir, label: 'levels', connection });
      started.push(t);
      if (isProduct(target)) await api(`${t.url}/api/v1/units`, 'PUT', benchUnits());
    }
    for (const t of started) {
      o.log(`webhook: warm-up ${t.target} (${o.warmupCitizens} citizens)`);
      await runLevel(t, o.warmupCitizens, { ...common, tag: 'warmup' });
      await clearProductBacklog(t);
    }
    for (const n of o.levels) {
      for (const t of started) {
        o.fake.reset();
        const run = await runLevel(t, n, { ...common, tag: 'level' });
        await clearProductBacklog(t);
        botApiCalls[`${t.target}-${n}`] = o.fake.stats().calls;
        runs.push(run);
        o.log(
          `webhook: ${t.target.padEnd(13)} ${String(n).padStart(4)} citizens: ${run.load.updatesPerSecond} updates/s, p50 ${run.load.latencyMs.p50} ms, p99 ${run.load.latencyMs.p99} ms` +
            (run.lostAnswers === null ? '' : `, lost ${run.lostAnswers}, drain ${run.drainAfterLastAckMs} ms`) +
            `, rss ${run.rss.peakRssMiB} MiB, cores ${run.targetCores}, load ${run.loadBefore.load1}→${run.loadAfter.load1}`,
        );
      }
    }

    const top = o.levels.at(-1)!;
    for (let round = 1; round <= o.extraTopRounds; round++) {
      const roundRuns: LevelRun[] = [];
      for (const t of started) {
        o.fake.reset();
        const run = await runLevel(t, top, { ...common, tag: `round-${round}` });
        await clearProductBacklog(t);
        roundRuns.push(run);
      }
      topRounds.push(roundRuns);
      o.log(`webhook: top level again, round ${round + 1}: ${roundRuns.map((x) => `${x.target} ${x.load.updatesPerSecond}/s`).join(', ')}`);
    }

    // Open loop at the target load: TARGET_RATIO × grammY's rate at the top level.
    const basis = runs.find((r) => r.target === 'grammy' && r.citizens === top);
    if (basis) {
      const rate = Math.round(basis.load.updatesPerSecond * TARGET_RATIO);
      paced = { ratio: TARGET_RATIO, basisTarget: 'grammy', basisUpdatesPerSecond: basis.load.updatesPerSecond, ratePerSecond: rate, citizens: top, runs: [] };
      for (const t of started) {
        o.fake.reset();
        const run = await runLevel(t, top, { ...common, tag: 'paced', rate });
        await clearProductBacklog(t);
        paced.runs.push(run);
        o.log(
          `webhook: paced ${rate}/s ${t.target.padEnd(13)} ${top} citizens: ${run.load.updatesPerSecond} updates/s, p50 ${run.load.latencyMs.p50} ms, p99 ${run.load.latencyMs.p99} ms, late sends ${run.load.lateSends}` +
            (run.lostAnswers === null ? '' : `, lost ${run.lostAnswers}`) +
            `, cores ${run.targetCores}`,
        );
      }
    }
    while (started.length) await stopTarget(started.pop()!);

    try {
      redisCounts = await redisPerUpdate({ fake: o.fake, logDir: o.logDir });
      o.log(`webhook: Redis per update (web path): ${redisCounts.clientPerUpdate} commands sent, ${redisCounts.luaPerUpdate} more run inside Lua scripts`);
    } catch (err) {
      o.log(`webhook: counting Redis commands failed: ${(err as Error).message}`);
    }
    try {
      handoff = await handoffCost({ logDir: o.logDir, citizens: o.handoffCitizens, rounds: o.handoffRounds });
      const w = handoff.summary['with hand-off'];
      const wo = handoff.summary['without hand-off'];
      o.log(`webhook: conversation path in-process: ${w.nodeCpuUsPerUpdate} µs node + ${w.redisCpuUsPerUpdate} µs Redis CPU per update with the outbox hand-off, ${wo.nodeCpuUsPerUpdate} + ${wo.redisCpuUsPerUpdate} without`);
    } catch (err) {
      o.log(`webhook: measuring the hand-off failed: ${(err as Error).message}`);
    }

    if (o.profile) {
      const top = o.levels.at(-1)!;
      const dir = path.join(o.resultsDir, 'profiles');
      for (const target of (['product', 'grammy'] as const).filter((t) => !o.targets || o.targets.includes(t))) {
        const t = await startTarget(target, { fake: o.fake, logDir: o.logDir, label: 'profile', nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${dir}`], connection });
        started.push(t);
        await runLevel(t, o.warmupCitizens, { ...common, tag: 'profile-warmup' });
        const run = await runLevel(t, top, { ...common, tag: 'profile' });
        await clearProductBacklog(t);
        started.pop();
        await stopTarget(t, 60_000);
        const file = newestProfile(dir, t.proc.pid);
        profiles.push({ target, citizens: top, load: run.load, profile: file ? summarizeProfile(file) : null });
        o.log(`webhook: profiled ${target} at ${top} citizens (${run.load.updatesPerSecond} updates/s under --cpu-prof) → ${file ?? 'no profile written'}`);
      }
    }
  } finally {
    while (started.length) await stopTarget(started.pop()!).catch(() => undefined);
    connection.disconnect();
    await grammyPool.end();
    for (const prefix of [BENCH_PREFIX, SPLIT_PREFIX, GRAMMY_PREFIX]) await deleteKeys(prefix);
  }
  return { levels: o.levels, paced, warmupCitizens: o.warmupCitizens, runs, topRounds, profiles, botApiCalls, redisPerUpdate: redisCounts, handoff };
}
