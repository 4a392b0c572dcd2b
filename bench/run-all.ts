/**
 * Runs the benchmarks of issue 6 and writes their figures: bench/results/<timestamp>.json
 * (raw numbers, machine, load) and — for a full run — docs/BENCHMARKS.md (rendered by
 * bench/render-doc.ts). Benchmarks print and write figures; they never pass or fail.
 *
 *   npm run bench                      # everything, full sizes (about 30 minutes; the 1M seed is reused)
 *   npm run bench -- --quick           # small sizes (a few minutes); does not touch docs/
 *   npm run bench -- --only webhook,persistence,scoring,broadcast,hostile,bulk,progress,console
 *   npm run bench -- --reseed          # rebuild the 1,000,000-response database
 *   npm run bench -- --no-profile      # skip the node --cpu-prof runs
 *   npm run bench -- --write-doc       # also render docs/ from a --quick or partial run
 *   npm run bench -- --only webhook --merge-doc   # render docs/ from this run over the newest complete run
 *   npm run bench -- --only console    # also renders docs/BENCHMARKS-console.md (a full run puts it in §8)
 *   npm run bench -- --only webhook --levels 200 --targets product,grammy   # a subset, for a quick look
 *   npm run bench -- --only webhook --open-rate 1000   # the fixed-rate open loop's rate (default 1000; 0: none)
 *
 * Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Redis on 127.0.0.1:6379.
 * Uses databases sipas_bench* and Redis keys {bench*}* only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FakeTelegramServer } from '../test/support/fake-telegram-server.js';
import { ROOT, stopAll } from '../test/support/spawn-script.js';
import { runBroadcastBench, type BroadcastResult } from './broadcast/bench-broadcast.js';
import { runBulkBench, type BulkResult, type BulkSizes } from './bulk/bench-bulk.js';
import { runProgressBench, type ProgressResult, type ProgressSizes } from './rounds/bench-progress.js';
import { runConsoleBench, type ConsoleResult, type ConsoleSizes } from './console/bench-console-pages.js';
import { runHostileBench, type HostileResult, type HostileSizes } from './hostile/bench-hostile.js';
import type { BenchError } from './lib/bench-error.js';
import { ForeignCpuMonitor, loadAverage, machineInfo, stealShare, stealTicks, type LoadAverage, type MachineInfo } from './lib/machine.js';
import { serverSettings, serverVersion } from './lib/pg.js';
import { redisVersion } from './lib/redis-keys.js';
import { runPersistenceBench, type PersistenceResult } from './persistence/bench-persistence.js';
import { newestFullResult, renderConsoleDoc, renderDoc, renderMerged } from './render-doc.js';
import { runScoringBench, type ScoringResult } from './scoring/bench-scoring.js';
import { SCALE_DB } from './scoring/seed-scale.js';
import { runWebhookBench, TARGETS, type Target, type WebhookResult } from './webhook/bench-webhook.js';

export const BENCHES = ['webhook', 'persistence', 'scoring', 'broadcast', 'hostile', 'bulk', 'progress', 'console'] as const;
export type BenchName = (typeof BENCHES)[number];

export type Sizes = {
  webhookLevels: number[];
  webhookWarmup: number;
  /** Extra rounds of the top webhook level (every target again, back to back). */
  webhookTopRounds: number;
  /** The in-process hand-off measurement: concurrent citizens per round, rounds per variant. */
  persistenceCitizens: number;
  persistenceRepeats: number;
  scoringResponses: number;
  scoringDatabase: string;
  reportRuns: number;
  rawRuns: number;
  microdataFull: boolean;
  broadcastMessages: number;
  /** Absent in results written before the hostile benchmark existed. */
  hostile?: HostileSizes;
  /** Absent in results written before the bulk-upload benchmark existed (issue 17). */
  bulk?: BulkSizes;
  /** Absent in results written before the round-progress benchmark existed (issue 17). */
  progress?: ProgressSizes;
  /** Absent in results written before the console benchmark existed (issue 19). */
  console?: ConsoleSizes;
};


export type RunResults = {
  /** 2: the benchmarks reach the product through its public entry points only (bench/README.md says what that changed). */
  schema: 1 | 2;
  startedAt: string;
  finishedAt: string;
  mode: 'full' | 'quick';
  argv: string[];
  command: string;
  sizes: Sizes;
  machine: MachineInfo;
  postgresSettings: Record<string, string>;
  load: {
    start: LoadAverage;
    end: LoadAverage;
    /** foreignCpuSeconds: CPU used meanwhile by processes that are not the benchmark's (other users' tests); foreignShare: of all CPUs. */
    /** stealShare: CPU time the hypervisor gave to other virtual machines meanwhile (0–1). */
    perBench: Record<string, { before: LoadAverage; after: LoadAverage; durationMs: number; foreignCpuSeconds: number; foreignShare: number; stealShare?: number }>;
  };
  webhook?: WebhookResult | BenchError;
  persistence?: PersistenceResult | BenchError;
  scoring?: ScoringResult | BenchError;
  broadcast?: BroadcastResult | BenchError;
  hostile?: HostileResult | BenchError;
  bulk?: BulkResult | BenchError;
  progress?: ProgressResult | BenchError;
  console?: ConsoleResult | BenchError;
  /** A merge (bench/render-doc.ts --merge, --merge-doc): the complete run, then the partial run put over it. */
  mergedFrom?: [string, string];
};


const FULL: Sizes = {
  webhookLevels: [10, 50, 100, 200],
  webhookWarmup: 20,
  webhookTopRounds: 2,
  persistenceCitizens: 2000,
  persistenceRepeats: 3,
  scoringResponses: 1_000_000,
  scoringDatabase: SCALE_DB,
  reportRuns: 5,
  rawRuns: 2,
  microdataFull: true,
  broadcastMessages: 10_000,
  hostile: { citizens: 20, thinkMs: 100, baselineMs: 10_000, floodRequests: 200, unitRows: 10_000, unitUploads: 3, qrRequests: 200, slowSockets: 300, slowObserveMs: 150_000 },
  bulk: { rows: 5000, probesPerSecond: 5, baselineMs: 30_000 },
  progress: { units: 700, invitations: 1_000_000, responses: 150_000, runs: 30 },
  console: { responses: 1_000_000, runs: 20 },
};

const QUICK: Sizes = {
  webhookLevels: [5, 20],
  webhookWarmup: 5,
  webhookTopRounds: 1,
  persistenceCitizens: 100,
  persistenceRepeats: 1,
  scoringResponses: 20_000,
  scoringDatabase: `${SCALE_DB}_quick`,
  reportRuns: 3,
  rawRuns: 1,
  microdataFull: true,
  broadcastMessages: 500,
  hostile: { citizens: 10, thinkMs: 100, baselineMs: 4000, floodRequests: 50, unitRows: 10_000, unitUploads: 1, qrRequests: 50, slowSockets: 30, slowObserveMs: 150_000 },
  bulk: { rows: 5000, probesPerSecond: 5, baselineMs: 20_000 },
  progress: { units: 700, invitations: 1_000_000, responses: 150_000, runs: 10 },
  console: { responses: 20_000, runs: 5 },
};

function parseArgs(argv: string[]) {
  const only = (() => {
    const i = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
    if (i < 0) return [...BENCHES];
    const v = argv[i]!.includes('=') ? argv[i]!.split('=')[1]! : (argv[i + 1] ?? '');
    const names = v.split(',').map((s) => s.trim()).filter(Boolean);
    for (const n of names) if (!BENCHES.includes(n as BenchName)) throw new Error(`unknown benchmark "${n}" (choose from ${BENCHES.join(', ')})`);
    return names as BenchName[];
  })();
  const quick = argv.includes('--quick');
  const listArg = (flag: string) => {
    const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i < 0) return undefined;
    return (argv[i]!.includes('=') ? argv[i]!.split('=')[1]! : (argv[i + 1] ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  };
  const levels = listArg('--levels')?.map(Number);
  if (levels?.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error('--levels takes positive integers, e.g. --levels 50,200');
  const openRate = Number(listArg('--open-rate')?.[0] ?? 1000);
  if (!Number.isInteger(openRate) || openRate < 0) throw new Error('--open-rate takes updates per second (0: no fixed-rate open loop), e.g. --open-rate 1000');
  const targets = listArg('--targets');
  for (const t of targets ?? []) if (!TARGETS.includes(t as Target)) throw new Error(`unknown target "${t}" (choose from ${TARGETS.join(', ')})`);
  return { quick, only, levels, openRate, targets: targets as Target[] | undefined, reseed: argv.includes('--reseed'), profile: !argv.includes('--no-profile'), mergeDoc: argv.includes('--merge-doc'), writeDoc: argv.includes('--write-doc') || (!quick && only.length === BENCHES.length && !levels && !targets) };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const sizes = args.quick ? QUICK : FULL;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const resultsDir = path.join(ROOT, 'bench', 'results');
  const workDir = path.join(resultsDir, stamp);
  const logDir = path.join(workDir, 'logs');
  mkdirSync(path.join(workDir, 'profiles'), { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const log = (s: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${s}\n`);

  const results: RunResults = {
    schema: 2,
    startedAt: new Date().toISOString(),
    finishedAt: '',
    mode: args.quick ? 'quick' : 'full',
    argv,
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    sizes,
    machine: machineInfo(await serverVersion(), await redisVersion()),
    postgresSettings: await serverSettings(),
    load: { start: loadAverage(), end: loadAverage(), perBench: {} },
  };
  log(`benchmarks: ${args.only.join(', ')} (${results.mode}); machine: ${results.machine.nproc} CPUs, ${results.machine.cpuModel}; ${results.load.start.uptime}`);
  log(`work files and logs: ${path.relative(ROOT, workDir)}`);

  const fake = await new FakeTelegramServer({ recordCalls: false, username: 'sipas_bench_bot' }).start();
  const foreign = new ForeignCpuMonitor().start();
  const cpus = Number(results.machine.nproc) || 2;
  let crashed = 0;
  const outFile = path.join(resultsDir, `${stamp}.json`);
  const save = () => writeFileSync(outFile, JSON.stringify(results, null, 2));
  try {
    for (const name of args.only) {
      const before = loadAverage();
      const foreign0 = foreign.seconds();
      const steal0 = stealTicks();
      const t0 = Date.now();
      log(`── ${name} ── ${before.uptime}`);
      try {
        if (name === 'webhook') {
          results.webhook = await runWebhookBench({ levels: args.levels ?? sizes.webhookLevels, ...(args.targets ? { targets: args.targets } : {}), warmupCitizens: sizes.webhookWarmup, extraTopRounds: sizes.webhookTopRounds ?? 0, openRate: args.openRate, fake, resultsDir: workDir, logDir, profile: args.profile, log });
        } else if (name === 'persistence') {
          results.persistence = await runPersistenceBench({ citizens: sizes.persistenceCitizens, repeats: sizes.persistenceRepeats, profileCitizens: sizes.persistenceCitizens, fakeUrl: fake.url, logDir, resultsDir: workDir, profile: args.profile, log });
        } else if (name === 'scoring') {
          results.scoring = await runScoringBench({
            responses: sizes.scoringResponses,
            database: sizes.scoringDatabase,
            reseed: args.reseed,
            fakeUrl: fake.url,
            logDir,
            resultsDir: workDir,
            reportRuns: sizes.reportRuns,
            rawRuns: sizes.rawRuns,
            microdataFull: sizes.microdataFull,
            profile: args.profile,
            log,
          });
        } else if (name === 'broadcast') {
          results.broadcast = await runBroadcastBench({ messages: sizes.broadcastMessages, logDir, log });
        } else if (name === 'progress') {
          results.progress = await runProgressBench({ sizes: sizes.progress ?? FULL.progress!, reseed: args.reseed, fakeUrl: fake.url, logDir, log });
        } else if (name === 'console') {
          results.console = await runConsoleBench({ sizes: sizes.console ?? FULL.console!, database: sizes.scoringDatabase, reseed: args.reseed && !args.only.includes('scoring'), fakeUrl: fake.url, logDir, log });
        } else if (name === 'bulk') {
          results.bulk = await runBulkBench({ sizes: sizes.bulk ?? FULL.bulk!, logDir, log });
        } else {
          results.hostile = await runHostileBench({ sizes: sizes.hostile ?? FULL.hostile!, telegramApiRoot: fake.url, logDir, resultsDir: workDir, log });
        }
      } catch (err) {
        crashed++;
        const e = err as Error;
        results[name] = { message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
        log(`${name} crashed: ${e.message}`);
        await stopAll();
      }
      const durationMs = Date.now() - t0;
      const foreignCpuSeconds = Math.round((foreign.seconds() - foreign0) * 100) / 100;
      const steal = stealShare(steal0, stealTicks());
      results.load.perBench[name] = { before, after: loadAverage(), durationMs, foreignCpuSeconds, foreignShare: Math.round((foreignCpuSeconds / (cpus * (durationMs / 1000))) * 1000) / 1000, stealShare: steal };
      log(`${name}: done in ${Math.round(durationMs / 1000)} s; other users' processes used ${foreignCpuSeconds} CPU s meanwhile (${Math.round(results.load.perBench[name].foreignShare * 1000) / 10} % of the machine); CPU stolen by the hypervisor ${Math.round(steal * 1000) / 10} %`);
      save();
    }
  } finally {
    foreign.stop();
    await stopAll();
    await fake.close();
  }
  results.finishedAt = new Date().toISOString();
  results.load.end = loadAverage();
  save();
  log(`results: ${path.relative(ROOT, outFile)}`);
  if (args.mergeDoc) {
    const base = newestFullResult();
    if (path.resolve(base) === path.resolve(outFile)) {
      log('--merge-doc: no complete run in bench/results/ to merge this run over; docs/ left as they are');
    } else {
      const merged = renderMerged(outFile, base);
      log(`rendered docs/BENCHMARKS.md from ${path.relative(ROOT, merged)} (this run over ${path.relative(ROOT, base)})`);
    }
  } else if (args.writeDoc) {
    const doc = path.join(ROOT, 'docs', 'BENCHMARKS.md');
    mkdirSync(path.dirname(doc), { recursive: true });
    writeFileSync(doc, renderDoc(results, path.relative(ROOT, outFile)));
    log(`rendered ${path.relative(ROOT, doc)}`);
  } else if (!args.quick && args.only.length === 1 && args.only[0] === 'console') {
    const doc = path.join(ROOT, 'docs', 'BENCHMARKS-console.md');
    writeFileSync(doc, renderConsoleDoc(results, path.relative(ROOT, outFile)));
    log(`rendered ${path.relative(ROOT, doc)}`);
  }
  return crashed ? 1 : 0;
}

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n${sig}: stopping every process started by the benchmarks…\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    process.stderr.write(`benchmarks failed: ${(err as Error).stack ?? String(err)}\n`);
    await stopAll();
    process.exit(1);
  },
);
