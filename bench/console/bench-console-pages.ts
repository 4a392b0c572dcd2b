import pg from 'pg';
import { runScript } from '../../test/support/spawn-script.js';
import { ConsoleHttpClient } from '../../test/support/console-http.js';
import { dbUrl } from '../lib/pg.js';
import { BENCH_ADMIN_KEY, startProduct } from '../lib/product.js';
import { percentiles, round2 } from '../lib/stats.js';
import { seedScale } from '../scoring/seed-scale.js';

/**
 * The console's overview (`/`) and rankings (`/rankings`) pages on the 1,000,000-response
 * database of the scoring benchmark (700 units, all of 2025), as a signed-in administrator
 * and viewer would load them over HTTP from the product's web process. The product runs
 * with REPORT_PERIOD=year, so the latest ended period both pages show by default is 2025:
 * every seeded response is in it. An open round with a quota for each of the 700 units
 * gives the overview its progress tables. Baseline in the same run: the JSON index report
 * the pages are built from (`GET /api/v1/reports/index`, same period), so the figures
 * show what rendering the pages costs on top of reading the index.
 */
export const CONSOLE_PAGE_TARGET_MS = 300;
const ROUND = 'BENCH-CONSOLE';
const PASSWORD = 'bench-console-password-1';
const USERS = [
  { username: 'bench-admin', displayName: 'Quản trị (benchmark)', role: 'admin' as const },
  { username: 'bench-viewer', displayName: 'Người xem (benchmark)', role: 'viewer' as const },
];

export type ConsoleSizes = { responses: number; runs: number };
type Timing = { p50: number; p95: number; max: number; bytes: number };
export type ConsoleResult = {
  sizes: ConsoleSizes;
  units: number;
  pages: { name: string; path: string; role: string; http: Timing }[];
  baseline: Timing;
};

/** An open round over every unit of the scale database (idempotent). */
async function ensureOpenRound(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO rounds (code, name, questionnaire_id, opens_on, closes_on, on_quota_full)
       SELECT $1, 'Đợt khảo sát (benchmark giao diện)', id, current_date - 10, current_date + 30, 'continue' FROM questionnaires WHERE code = 'sipas-2017' ORDER BY version DESC LIMIT 1
       ON CONFLICT (code) DO UPDATE SET opens_on = EXCLUDED.opens_on, closes_on = EXCLUDED.closes_on, closed_at = NULL`,
      [ROUND],
    );
    await c.query(`INSERT INTO round_quotas (round_id, unit_id, target) SELECT r.id, u.id, 90 FROM rounds r CROSS JOIN units u WHERE r.code = $1 ON CONFLICT DO NOTHING`, [ROUND]);
    return (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM units')).rows[0]!.n;
  } finally {
    await c.end();
  }
}

/** The console users, made by the product's own command (`npm run user -- create`) when missing. */
async function ensureUsers(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const existing = new Set((await c.query<{ username: string }>('SELECT username FROM users')).rows.map((r) => r.username));
  await c.end();
  for (const u of USERS) {
    if (existing.has(u.username)) continue;
    const { code, out } = await runScript('src/cli/user.ts', ['create', '--username', u.username, '--role', u.role, '--name', u.displayName, '--password-stdin'], { DATABASE_URL: url }, PASSWORD);
    if (code !== 0) throw new Error(`npm run user -- create ${u.username}: ${out}`);
  }
}

async function time(runs: number, fetchOnce: () => Promise<Response>, what: string): Promise<Timing> {
  const measure = async () => {
    const t0 = performance.now();
    const res = await fetchOnce();
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${what}: ${res.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
    return { ms: performance.now() - t0, bytes: body.byteLength };
  };
  for (let i = 0; i < 3; i++) await measure();
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const r = await measure();
    ms.push(r.ms);
    bytes = r.bytes;
  }
  const p = percentiles(ms, [50, 95, 100]);
  return { p50: round2(p.p50!), p95: round2(p.p95!), max: round2(p.p100!), bytes };
}

export async function runConsoleBench(opts: { sizes: ConsoleSizes; database: string; reseed: boolean; fakeUrl: string; logDir: string; log: (s: string) => void }): Promise<ConsoleResult> {
  const { sizes, log } = opts;
  await seedScale({ responses: sizes.responses, database: opts.database, reseed: opts.reseed, log });
  const url = dbUrl(opts.database);
  const units = await ensureOpenRound(url);
  await ensureUsers(url);
  const product = await startProduct({ database: opts.database, telegramApiRoot: opts.fakeUrl, logDir: opts.logDir, label: 'console', role: 'web', logLevel: 'warn', env: { REPORT_PERIOD: 'year' } });
  try {
    const base = product.url!;
    const pages: ConsoleResult['pages'] = [];
    for (const user of USERS) {
      const client = new ConsoleHttpClient(base);
      await client.loginOk(user.username, PASSWORD);
      for (const [name, path] of [['overview', '/'], ['rankings', '/rankings']] as const) {
        const http = await time(sizes.runs, () => client.get(path), `${user.role} ${path}`);
        pages.push({ name, path, role: user.role, http });
        log(`console: ${user.role} ${path} p50 ${http.p50} ms, p95 ${http.p95} ms (${Math.round(http.bytes / 1024)} KiB)`);
      }
    }
    const baseline = await time(sizes.runs, () => fetch(`${base}/api/v1/reports/index?questionnaire=sipas-2017&from=2025-01-01&to=2025-12-31&format=json`, { headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } }), 'index JSON');
    log(`console: baseline GET /api/v1/reports/index (JSON, 2025) p50 ${baseline.p50} ms, p95 ${baseline.p95} ms`);
    return { sizes, units, pages, baseline };
  } finally {
    await product.proc.stop();
  }
}
