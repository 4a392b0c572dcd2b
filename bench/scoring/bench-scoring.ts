import path from 'node:path';
import pg from 'pg';
import { newestProfile, summarizeProfile, type ProfileSummary } from '../lib/cpu-profile.js';
import { loadAverage, type LoadAverage } from '../lib/machine.js';
import { dbUrl } from '../lib/pg.js';
import { openProduct, startProduct } from '../lib/product.js';
import { deleteKeys } from '../lib/redis-keys.js';
import { httpDownloads, type Download } from './http-downloads.js';
import { inProcessReports, type Explain, type Timing } from './in-process-reports.js';
import { seedScale, type SeedInfo } from './seed-scale.js';

export type { Download } from './http-downloads.js';
export type { Timing } from './in-process-reports.js';

export type ScoringResult = {
  seed: SeedInfo;
  inProcess: Timing[];
  explain: Explain[];
  downloads: Download[];
  profile: { label: string; profile: ProfileSummary | null } | null;
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

const SCORING_PREFIX = '{bench-scoring}';

async function questionnaireId(database: string): Promise<number> {
  const c = new pg.Client({ connectionString: dbUrl(database) });
  await c.connect();
  try {
    return (await c.query<{ id: number }>(`SELECT id FROM questionnaires WHERE code = 'sipas-2017' AND version = 1`)).rows[0]!.id;
  } finally {
    await c.end();
  }
}

/**
 * Benchmark 3: the index report from rollups and from raw answers, in-process through the
 * product's app factory and its public `loadIndexReport`, then the downloads through the
 * product's HTTP API (a separate web process) with its RSS sampled during each download.
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
  const app = await openProduct({ database: o.database, prefix: SCORING_PREFIX, telegramApiRoot: o.fakeUrl });
  let inProcess: Timing[];
  let explain: Explain[];
  try {
    ({ timings: inProcess, explain } = await inProcessReports(app, dbUrl(o.database), await questionnaireId(o.database), o));
    for (const t of inProcess) o.log(`scoring: ${t.label}: median ${t.medianMs} ms (runs ${t.runsMs.join(', ')})`);
  } finally {
    await app.close();
    await deleteKeys(SCORING_PREFIX);
  }

  const profileDir = path.join(o.resultsDir, 'profiles');
  const web = await startProduct({
    database: o.database,
    telegramApiRoot: o.fakeUrl,
    logDir: o.logDir,
    label: 'scoring-web',
    role: 'web',
    env: { REPORT_PERIOD: 'year' },
    ...(o.profile ? { nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
  });
  let downloads: Download[];
  try {
    downloads = await httpDownloads(web.url!, web.proc.pid, o);
  } finally {
    await web.proc.stop(60_000);
  }
  let profile: ScoringResult['profile'] = null;
  if (o.profile) {
    const file = newestProfile(profileDir, web.proc.pid);
    profile = { label: 'web process during all downloads above', profile: file ? summarizeProfile(file) : null };
  }
  return { seed, inProcess, explain, downloads, profile, loadBefore, loadAfter: loadAverage() };
}
