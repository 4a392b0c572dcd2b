import pg from 'pg';
import { loadIndexReport, type RunningApp } from '../../src/index.js';
import { median, round2 } from '../lib/stats.js';
import { captureQueries, type CapturedQuery } from './query-capture.js';

export type Timing = { label: string; runsMs: number[]; medianMs: number; minMs: number; detail?: Record<string, number | string> };
export type Explain = { label: string; plan: string[] };

export const MONTH = { from: '2025-06-01', to: '2025-06-30' };
/** Starts and ends mid-month: 11 whole months from the monthly rollups, 31 edge days from the daily ones. */
export const MID_MONTHS = { from: '2025-01-16', to: '2025-12-15' };

const timing = (label: string, ms: number[], detail?: Record<string, number | string>): Timing => ({ label, runsMs: ms, medianMs: median(ms), minMs: Math.min(...ms), ...(detail ? { detail } : {}) });
const isRollupQuery = (q: CapturedQuery) => /_rollups/.test(q.text);

/** One report call, split by the statements it sent: the rollup queries' span, and the time after the last answer (turning rows into counts, building the report). */
type Run = { ms: number; rollupQueriesMs: number; afterLastQueryMs: number; units: number; rollupQueries: CapturedQuery[] };

/**
 * The index report computed in this process by the product's public `loadIndexReport`,
 * called as the reports route calls it (the app's Prisma client, its node-postgres pool
 * for the rollup queries, its questionnaire catalog and minimum cell), over the app
 * factory's context. The statements it sends are recorded (see query-capture.ts) to
 * time the rollup queries and the building of the report, and to EXPLAIN the product's
 * exact rollup queries.
 */
export async function inProcessReports(app: RunningApp, databaseUrl: string, questionnaireId: number, o: { reportRuns: number; rawRuns: number }): Promise<{ timings: Timing[]; explain: Explain[] }> {
  const { db, sql, catalog, config } = app.ctx;
  const report = async (source: 'rollups' | 'raw', period: { from?: string; to?: string } = {}): Promise<Run> => {
    const { value, queries, startedAt, endedAt } = await captureQueries(() => loadIndexReport(db, { questionnaireId, source, minCell: config.reportMinCell, rollupsVia: sql, catalog, ...period }));
    const rollupQueries = queries.filter(isRollupQuery);
    const lastAnswer = Math.max(startedAt, ...queries.map((q) => q.endedAt));
    const rollupsSpan = rollupQueries.length ? Math.max(...rollupQueries.map((q) => q.endedAt)) - Math.min(...rollupQueries.map((q) => q.startedAt)) : NaN;
    return { ms: round2(endedAt - startedAt), rollupQueriesMs: round2(rollupsSpan), afterLastQueryMs: round2(endedAt - lastAnswer), units: value.units.length, rollupQueries };
  };
  const repeat = async (runs: number, fn: () => Promise<Run>): Promise<Run[]> => {
    const out: Run[] = [];
    for (let i = 0; i < runs; i++) out.push(await fn());
    return out;
  };
  const units = (runs: Run[]) => ({ units: runs.at(-1)!.units });

  const year = await repeat(o.reportRuns, () => report('rollups'));
  if (year[0]!.rollupQueries.length === 0) throw new Error('no rollup query was recorded: the benchmark must load the same node-postgres module as the product');
  const month = await repeat(o.reportRuns, () => report('rollups', MONTH));
  const mid = await repeat(o.reportRuns, () => report('rollups', MID_MONTHS));
  const rawYear = await repeat(o.rawRuns, () => report('raw'));
  const rawMonth = await repeat(o.rawRuns, () => report('raw', MONTH));
  const timings = [
    timing('report from rollups, whole year (loadIndexReport)', year.map((r) => r.ms), units(year)),
    timing('  of which: rollup queries (first sent → last answered, within the runs above)', year.map((r) => r.rollupQueriesMs)),
    timing('  of which: after the last answer (rows into counts, building the report in JS; within the runs above)', year.map((r) => r.afterLastQueryMs)),
    timing(`report from rollups, one month (${MONTH.from}…${MONTH.to})`, month.map((r) => r.ms), units(month)),
    timing(`report from rollups, mid-month to mid-month (${MID_MONTHS.from}…${MID_MONTHS.to})`, mid.map((r) => r.ms), units(mid)),
    timing('report from raw answers, whole year', rawYear.map((r) => r.ms), units(rawYear)),
    timing('report from raw answers, one month', rawMonth.map((r) => r.ms), units(rawMonth)),
  ];
  const explain = await explainRollupQueries(databaseUrl, [
    { period: 'whole year: monthly rows', queries: year[0]!.rollupQueries },
    { period: `${MID_MONTHS.from}…${MID_MONTHS.to}: monthly rows + edge days`, queries: mid[0]!.rollupQueries },
  ]);
  return { timings, explain };
}

/** EXPLAIN ANALYZE of the rollup queries the product sent, per period, criterion query first (as the report describes them). */
async function explainRollupQueries(databaseUrl: string, periods: { period: string; queries: CapturedQuery[] }[]): Promise<Explain[]> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const out: Explain[] = [];
    for (const { period, queries } of periods) {
      const labelled = queries.map((q) => ({ q, table: /criterion_code/.test(q.text) ? 'criterion rollups GROUP BY unit, criterion' : 'option rollups GROUP BY unit, question, option' }));
      for (const { q, table } of labelled.sort((a, b) => Number(a.table.startsWith('option')) - Number(b.table.startsWith('option')))) {
        const r = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.text}`, q.values);
        out.push({ label: `${table} (${period})`, plan: r.rows.map((row) => row['QUERY PLAN']) });
      }
    }
    return out;
  } finally {
    await c.end();
  }
}
