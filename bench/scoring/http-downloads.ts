import http from 'node:http';
import { memoryOf, sampleRss } from '../../test/support/spawn-script.js';
import { BENCH_ADMIN_KEY } from '../lib/product.js';
import { median, round0, round2 } from '../lib/stats.js';
import { MONTH } from './in-process-reports.js';

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

/** Trend reports (issue 18): the seeded year against itself, as JSON and as a workbook. */
export const TREND_DOWNLOADS = [
  { label: 'trend JSON, 2025 vs 2025: two whole-year reports (HTTP)', path: '/reports/trend?questionnaire=sipas-2017@1&periods=2025,2025&format=json' },
  { label: 'trend XLSX, 2025 vs 2025: two whole-year reports (HTTP)', path: '/reports/trend?questionnaire=sipas-2017@1&periods=2025,2025&format=xlsx' },
];

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

/** The report and microdata downloads through the product's HTTP API (a web process at `url`, pid `pid`), one after another. */
export async function httpDownloads(url: string, pid: number, o: { reportRuns: number; microdataFull: boolean; log: (s: string) => void }): Promise<Download[]> {
  const base = `${url}/api/v1`;
  // The seed is of sipas-2017 version 1; a bare code would name the newest version (no responses).
  const plan: { label: string; path: string; runs: number; lines: boolean }[] = [
    { label: 'index report JSON (HTTP)', path: '/reports/index?questionnaire=sipas-2017@1&format=json', runs: o.reportRuns, lines: false },
    { label: 'index report CSV (HTTP)', path: '/reports/index?questionnaire=sipas-2017@1&format=csv', runs: o.reportRuns, lines: true },
    { label: 'index report XLSX (HTTP)', path: '/reports/index?questionnaire=sipas-2017@1&format=xlsx', runs: o.reportRuns, lines: false },
    { label: 'index report XLSX, one month (HTTP)', path: `/reports/index?questionnaire=sipas-2017@1&format=xlsx&from=${MONTH.from}&to=${MONTH.to}`, runs: o.reportRuns, lines: false },
    // A trend compares two whole index reports. The seed holds one year, so its two sides are
    // that year twice: two full reports over all the responses (1M each at full size), read
    // from the rollups and compared, as two different years of that size would be.
    ...TREND_DOWNLOADS.map((t) => ({ ...t, runs: o.reportRuns, lines: false })),
    // Microdata covers whole periods of one kind only (the web process runs with REPORT_PERIOD=year): the seeded year is every response.
    ...(o.microdataFull ? [{ label: 'microdata CSV, all responses (HTTP)', path: '/responses/export?questionnaire=sipas-2017@1&format=csv&period=2025', runs: 1, lines: true }] : []),
  ];
  const downloads: Download[] = [];
  for (const p of plan) {
    const runs: Download['runs'] = [];
    let status = 0;
    let bytes = 0;
    let lines = 0;
    for (let i = 0; i < p.runs; i++) {
      const r = await download(`${base}${p.path}`, pid, p.lines);
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
  return downloads;
}
