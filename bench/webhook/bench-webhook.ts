import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { FakeTelegramServer } from '../../test/support/fake-telegram-server.js';
import { newestProfile, summarizeProfile, type ProfileSummary } from '../lib/cpu-profile.js';
import { createDatabase, dbUrl, dropDatabase } from '../lib/pg.js';
import { api, BENCH_PREFIX } from '../lib/product.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { benchUnits } from '../lib/units.js';
import type { LoadOutput } from './load-generator.js';
import { redisPerUpdate, type RedisPerUpdate } from './redis-per-update.js';
import { runLevel, type LevelRun } from './run-level.js';
import { topRatios, type RatioRounds, type TopRatios } from './top-ratios.js';
import { clearProductBacklog, GRAMMY_DB, GRAMMY_PREFIX, isProduct, PRODUCT_DB, SPLIT_DB, SPLIT_PREFIX, startTarget, stopTarget, TARGETS, type Started, type Target } from './webhook-targets.js';

export type { LevelRun } from './run-level.js';
export { topLevelRounds, topRatios, type RatioRounds, type TopRatios } from './top-ratios.js';
export { TARGETS, type Target } from './webhook-targets.js';

/**
 * The open-loop run: every target offered the same fixed rate — the target ratio (4×)
 * times grammY's closed-loop rate at the top level of the same run — by the same number
 * of citizens, to read ack latency at that load rather than at saturation.
 */
export type PacedResult = { ratio: number; basisTarget: Target; basisUpdatesPerSecond: number; ratePerSecond: number; citizens: number; runs: LevelRun[] };

/**
 * The open loop at a fixed rate (1,000 updates/s unless --open-rate): every target offered
 * the same rate by the top level's citizens, all targets once per round, rounds back to back.
 */
export type OpenResult = { ratePerSecond: number; citizens: number; rounds: LevelRun[][] };

export type WebhookResult = {
  levels: number[];
  paced: PacedResult | null;
  /** Absent in results written before the fixed-rate open loop existed; null when disabled (--open-rate 0). */
  open?: OpenResult | null;
  /** Absent in results written before the ratios were carried in the results. */
  ratios?: TopRatios;
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
  botApiCalls: Record<string, Record<string, number>>;
};


/**
 * Benchmark 1: the webhook path of the product vs a bare fastify route (the ceiling) vs a
 * grammY + conversations bot, same load generator, same run, levels interleaved so the
 * three see the same background load.
 */
/** The throughput target of issue 6: the product at least this many times grammY + conversations. */
export const TARGET_RATIO = 4;
/** Rounds of the fixed-rate open loop. */
export const OPEN_ROUNDS = 3;

/** One line of the log for a run: rate, latency, loop delay and GC of each process, answers lost. */
function runLine(run: LevelRun): string {
  const loop = (name: string, l: NonNullable<LevelRun['loop']>['web'] | null | undefined) => (l ? `, loop ${name}p99 ${l.delayMs.p99} ms max ${l.delayMs.max} ms, gc max ${l.gc.maxMs} ms` : '');
  return (
    `${run.load.updatesPerSecond} updates/s, p50 ${run.load.latencyMs.p50} ms, p99 ${run.load.latencyMs.p99} ms, max ${run.load.latencyMs.p100} ms` +
    (run.load.offeredPerSecond ? `, late sends ${run.load.lateSends}` : '') +
    (run.load.startLatencyMs ? `, /start p50 ${run.load.startLatencyMs.p50} ms p99 ${run.load.startLatencyMs.p99} ms` : '') +
    loop(run.loop?.worker ? 'web ' : '', run.loop?.web) +
    loop('worker ', run.loop?.worker) +
    (run.lostAnswers === null ? '' : `, lost ${run.lostAnswers}`)
  );
}

export async function runWebhookBench(o: { levels: number[]; targets?: Target[]; warmupCitizens: number; extraTopRounds: number; openRate: number; fake: FakeTelegramServer; resultsDir: string; logDir: string; profile: boolean; log: (s: string) => void }): Promise<WebhookResult> {
  o.fake.enforceLimits(undefined);
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
  let paced: PacedResult | null = null;
  let open: OpenResult | null = null;
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
            (run.loop ? `, loop p99 ${run.loop.web.delayMs.p99} ms${run.loop.worker ? ` (worker ${run.loop.worker.delayMs.p99} ms)` : ''}, gc max ${run.loop.web.gc.maxMs} ms` : '') +
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
    const fmt = (r: RatioRounds | null, suffix: string) => (r ? `${r.median}${suffix} (${r.rounds.join(', ')})` : '–');
    for (const [t, r] of Object.entries(topRatios({ levels: o.levels, runs, topRounds }))) {
      o.log(`webhook: ${t} at ${top} citizens, median of ${1 + topRounds.length} rounds: ${fmt(r.vsGrammy, '× grammY')}, ${fmt(r.vsBare, '× bare (acked updates/s)')}`);
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

    // Open loop at a fixed rate, three rounds back to back (the machine's speed drifts; the median is the figure),
    // with citizens arriving over time: the paced run above shows all surveys starting at once.
    if (o.openRate > 0) {
      open = { ratePerSecond: o.openRate, citizens: top, rounds: [] };
      for (let round = 1; round <= OPEN_ROUNDS; round++) {
        const roundRuns: LevelRun[] = [];
        for (const t of started) {
          o.fake.reset();
          const run = await runLevel(t, top, { ...common, tag: `open-${round}`, rate: o.openRate, steadyArrivals: true });
          await clearProductBacklog(t);
          roundRuns.push(run);
          o.log(`webhook: open loop ${o.openRate}/s round ${round} ${t.target.padEnd(13)} ${top} citizens: ${runLine(run)}`);
        }
        open.rounds.push(roundRuns);
      }
    }
    while (started.length) await stopTarget(started.pop()!);

    try {
      redisCounts = await redisPerUpdate({ fakeUrl: o.fake.url, logDir: o.logDir });
      o.log(`webhook: Redis per update (web path): ${redisCounts.clientPerUpdate} commands sent, ${redisCounts.luaPerUpdate} more run inside Lua scripts`);
    } catch (err) {
      o.log(`webhook: counting Redis commands failed: ${(err as Error).message}`);
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
  return { levels: o.levels, paced, open, ratios: topRatios({ levels: o.levels, runs, topRounds }), warmupCitizens: o.warmupCitizens, runs, topRounds, profiles, botApiCalls, redisPerUpdate: redisCounts };
}
