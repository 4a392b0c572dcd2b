import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { createPrismaClient } from '../../src/db/prisma-client.js';
import { SqlPool } from '../../src/db/sql-pool.js';
import { buildIndexReport, DEFAULT_MIN_CELL } from '../../src/scoring/build-index-report.js';
import { loadIndexReport } from '../../src/scoring/load-index-report.js';
import { loadQuestionnaire } from '../../src/scoring/load-questionnaire.js';
import { loadRollupCounts, rollupCountQueries } from '../../src/scoring/load-rollup-counts.js';
import { newestProfile, summarizeProfile, type ProfileSummary } from '../lib/cpu-profile.js';
import { loadAverage, type LoadAverage } from '../lib/machine.js';
import { dbUrl } from '../lib/pg.js';
import { memoryOf, sampleRss } from '../lib/proc.js';
import { BENCH_ADMIN_KEY, startProduct } from '../lib/product.js';
import { median, round0, round2 } from '../lib/stats.js';
import { seedScale, type SeedInfo } from './seed-scale.js';

export type Timing = { label: string; runsMs: number[]; medianMs: number; minMs: number; detail?: Record<string, number | string> };

export type Download = {
  label: string;
  path: string;
  runs: { ms: number; ttfbMs: number; bytes: number; peakRssMiB: number; rssBeforeMiB: number }[];
  medianMs: number;
  bytes: number;
  lines?: number;
  peakRssMiB: number;
  rssBeforeMiB: number;
  status: number;
};

export type ScoringResult = {
  seed: SeedInfo;
  inProcess: Timing[];
  explain: { label: string; plan: string[] }[];
  downloads: Download[];
  profile: { label: string; profile: ProfileSummary | null } | null;
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

const MONTH = { from: '2025-06-01', to: '2025-06-30' };
/** Starts and ends mid-month: 11 whole months from the monthly rollups, 31 edge days from the daily ones. */
const MID_MONTHS = { from: '2025-01-16', to: '2025-12-15' };

async function timeIt(label: string, runs: number, fn: () => Promise<Record<string, number | string> | void>): Promise<Timing> {
  const ms: number[] = [];
  let detail: Record<string, number | string> | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    detail = (await fn()) ?? undefined;
    ms.push(round2(performance.now() - t0));
  }
  return { label, runsMs: ms, medianMs: median(ms), minMs: Math.min(...ms), ...(detail ? { detail } : {}) };
}

/** GET with the admin key; the body is counted and dropped (never kept), RSS of the server sampled meanwhile. */
function download(url: string, pid: number, countLines: boolean): Promise<{ status: number; ms: number; ttfbMs: number; bytes: number; lines: number; peakRssMiB: number; rssBeforeMiB: number }> {
  return new Promise((resolve, reject) => {
    const rssBefore = memoryOf(pid)?.rssMiB ?? NaN;
    const sampler = sampleRss(pid, 20);
    const t0 = performance.now();
    const req = http.get(url, { headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } }, (res) => {
      const ttfb = performance.now() - t0;
      let bytes = 0;
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (countLines) for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      });
      res.on('end', () => {
        const ms = performance.now() - t0;
        const mem = sampler.stop();
        resolve({ status: res.statusCode ?? 0, ms: round2(ms), ttfbMs: round2(ttfb), bytes, lines, peakRssMiB: mem.peakRssMiB, rssBeforeMiB: Math.round(rssBefore * 10) / 10 });
      });
      res.on('error', (err) => {
        sampler.stop();
        reject(err);
      });
    });
    req.setTimeout(60 * 60_000, () => req.destroy(new Error('download timed out')));
    req.on('error', (err) => {
      sampler.stop();
      reject(err);
    });
  });
}

/**
 * EXPLAIN ANALYZE of the rollup report's queries, built by the product's own
 * `rollupCountQueries` (src/scoring/load-rollup-counts.ts): the whole year (monthly rows
 * only) and a period starting and ending mid-month (whole months plus edge days).
 */
async function explainRollups(database: string, questionnaireId: number): Promise<ScoringResult['explain']> {
  const c = new pg.Client({ connectionString: dbUrl(database) });
  await c.connect();
  try {
    const year = rollupCountQueries({ questionnaireId, from: null, to: null, group: null });
    const mid = rollupCountQueries({ questionnaireId, ...MID_MONTHS, group: null });
    const queries = [
      { label: 'criterion rollups GROUP BY unit, criterion (whole year: monthly rows)', sql: year.criteria },
      { label: 'option rollups GROUP BY unit, question, option (whole year: monthly rows)', sql: year.options },
      { label: `criterion rollups GROUP BY unit, criterion (${MID_MONTHS.from}…${MID_MONTHS.to}: monthly rows + edge days)`, sql: mid.criteria },
      { label: `option rollups GROUP BY unit, question, option (${MID_MONTHS.from}…${MID_MONTHS.to}: monthly rows + edge days)`, sql: mid.options },
    ];
    const out: ScoringResult['explain'] = [];
    for (const q of queries) {
      const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.sql.text}`, q.sql.values);
      out.push({ label: q.label, plan: r.rows.map((row) => row['QUERY PLAN']) });
    }
    return out;
  } finally {
    await c.end();
  }
}

/**
 * Benchmark 3: index report from rollups and from raw answers (in-process, through the
 * product's own functions), then the downloads through the product's HTTP routes (a
 * separate web process) with its RSS sampled during each download.
 */
export async function runScoringBench(o: {
  responses: number;
  database: string;
  reseed: boolean;
  fakeUrl: string;
  logDir: string;
  resultsDir: string;
  reportRuns: number;
  rawRuns: number;
  microdataFull: boolean;
  profile: boolean;
  log: (s: string) => void;
}): Promise<ScoringResult> {
  const loadBefore = loadAverage();
  const seed = await seedScale({ responses: o.responses, database: o.database, reseed: o.reseed, log: o.log });
  const db = createPrismaClient(dbUrl(o.database));
  // As the app's reports route: rollup queries through the node-postgres pool, the rest through Prisma.
  const sql = new SqlPool(dbUrl(o.database), 4);
  const inProcess: Timing[] = [];
  let explain: ScoringResult['explain'] = [];
  try {
    const q = await loadQuestionnaire(db, { code: 'sipas-2017', version: 1 });
    const report = (source: 'rollups' | 'raw', period: { from?: string; to?: string } = {}) => loadIndexReport(db, { questionnaireId: q.id, source, minCell: DEFAULT_MIN_CELL, rollupsVia: sql, ...period });
    inProcess.push(await timeIt('report from rollups, whole year (loadIndexReport)', o.reportRuns, async () => ({ units: (await report('rollups')).units.length })));
    inProcess.push(
      await timeIt('  of which: rollup queries (loadRollupCounts)', o.reportRuns, async () => {
        const counts = await loadRollupCounts(sql, { questionnaireId: q.id, from: null, to: null, group: null });
        return { criterionRows: counts.criteria.length, optionRows: counts.options.length };
      }),
    );
    const counts = await loadRollupCounts(db, { questionnaireId: q.id, from: null, to: null, group: null });
    const units = await db.unit.findMany({ select: { id: true, code: true, name: true, group: true } });
    inProcess.push(
      await timeIt('  of which: building the report in JS (buildIndexReport)', o.reportRuns, async () => {
        buildIndexReport({ definition: q.definition, units, counts, period: { from: null, to: null }, group: null, minCell: DEFAULT_MIN_CELL });
      }),
    );
    inProcess.push(await timeIt(`report from rollups, one month (${MONTH.from}…${MONTH.to})`, o.reportRuns, async () => ({ units: (await report('rollups', MONTH)).units.length })));
    inProcess.push(await timeIt(`report from rollups, mid-month to mid-month (${MID_MONTHS.from}…${MID_MONTHS.to})`, o.reportRuns, async () => ({ units: (await report('rollups', MID_MONTHS)).units.length })));
    inProcess.push(await timeIt('report from raw answers, whole year', o.rawRuns, async () => ({ units: (await report('raw')).units.length })));
    inProcess.push(await timeIt(`report from raw answers, one month`, o.rawRuns, async () => ({ units: (await report('raw', MONTH)).units.length })));
    for (const t of inProcess) o.log(`scoring: ${t.label}: median ${t.medianMs} ms (runs ${t.runsMs.join(', ')})`);
    explain = await explainRollups(o.database, q.id);
  } finally {
    await db.$disconnect();
    await sql.end();
  }

  const downloads: Download[] = [];
  let profile: ScoringResult['profile'] = null;
  const profileDir = path.join(o.resultsDir, 'profiles');
  const web = await startProduct({
    database: o.database,
    telegramApiRoot: o.fakeUrl,
    logDir: o.logDir,
    label: 'scoring-web',
    role: 'web',
    ...(o.profile ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
  });
  try {
    const base = `${web.url}/api/v1`;
    const plan: { label: string; path: string; runs: number; lines: boolean }[] = [
      { label: 'index report JSON (HTTP)', path: '/reports/index?questionnaire=sipas-2017&format=json', runs: o.reportRuns, lines: false },
      { label: 'index report CSV (HTTP)', path: '/reports/index?questionnaire=sipas-2017&format=csv', runs: o.reportRuns, lines: true },
      { label: 'index report XLSX (HTTP)', path: '/reports/index?questionnaire=sipas-2017&format=xlsx', runs: o.reportRuns, lines: false },
      { label: 'index report XLSX, one month (HTTP)', path: `/reports/index?questionnaire=sipas-2017&format=xlsx&from=${MONTH.from}&to=${MONTH.to}`, runs: o.reportRuns, lines: false },
      { label: 'microdata CSV, one month (HTTP)', path: `/responses/export?questionnaire=sipas-2017&format=csv&from=${MONTH.from}&to=${MONTH.to}`, runs: 1, lines: true },
      ...(o.microdataFull ? [{ label: 'microdata CSV, all responses (HTTP)', path: '/responses/export?questionnaire=sipas-2017&format=csv', runs: 1, lines: true }] : []),
    ];
    for (const p of plan) {
      const runs: Download['runs'] = [];
      let status = 0;
      let bytes = 0;
      let lines = 0;
      for (let i = 0; i < p.runs; i++) {
        const r = await download(`${base}${p.path}`, web.proc.pid, p.lines);
        status = r.status;
        bytes = r.bytes;
        lines = r.lines;
        runs.push({ ms: r.ms, ttfbMs: r.ttfbMs, bytes: r.bytes, peakRssMiB: r.peakRssMiB, rssBeforeMiB: r.rssBeforeMiB });
      }
      const d: Download = {
        label: p.label,
        path: p.path,
        runs,
        medianMs: median(runs.map((r) => r.ms)),
        bytes,
        ...(p.lines ? { lines } : {}),
        peakRssMiB: Math.max(...runs.map((r) => r.peakRssMiB)),
        rssBeforeMiB: runs[0]!.rssBeforeMiB,
        status,
      };
      downloads.push(d);
      o.log(`scoring: ${d.label}: ${d.status}, median ${d.medianMs} ms, ${round0(d.bytes / 1024)} KiB${p.lines ? `, ${lines} lines` : ''}, peak RSS ${d.peakRssMiB} MiB (before ${d.rssBeforeMiB})`);
    }
  } finally {
    await web.proc.stop(60_000);
  }
  if (o.profile) {
    const file = newestProfile(profileDir, web.proc.pid);
    profile = { label: 'web process during all downloads above', profile: file ? summarizeProfile(file) : null };
  }
  return { seed, inProcess, explain, downloads, profile, loadBefore, loadAfter: loadAverage() };
}
