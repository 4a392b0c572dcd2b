import type { ScoringResult } from '../scoring/bench-scoring.js';
import type { Values } from './fill-template.js';
import { kib, mib, ms, n0, n1, profileValues, rows, verdictAtMost } from './format.js';
import { TARGET } from './targets.js';

/** Seed phases in the order they run (the stored JSON does not keep key order). */
function seedPhases(t: Record<string, number>): [string, number][] {
  const order = ['migrate', 'units', 'responses+answers', 'answers indexes', 'answers foreign key', 'vacuum analyze (raw)', 'rebuildRollups', 'scoring:verify --rebuild', 'vacuum analyze (rollups)'];
  const known = order.filter((k) => k in t).map((k): [string, number] => [k, t[k]!]);
  return [...known, ...Object.entries(t).filter(([k]) => !order.includes(k))];
}

/**
 * Everything docs/BENCHMARKS.md says about the scoring benchmark. `viaApp`: the in-process
 * reports went through the app factory and the public `loadIndexReport` (results of schema 2).
 */
export function scoringValues(s: ScoringResult, viaApp: boolean): Values {
  const seed = s.seed;
  const rep = s.inProcess.find((t) => t.label.startsWith('report from rollups, whole year'));
  const json = s.downloads.find((d) => d.label.startsWith('index report JSON'));
  const xlsx = s.downloads.find((d) => d.label === 'index report XLSX (HTTP)');
  const micro = s.downloads.find((d) => d.label.startsWith('microdata CSV, all'));
  const trendJson = s.downloads.find((d) => d.label.startsWith('trend JSON'));
  const trendXlsx = s.downloads.find((d) => d.label.startsWith('trend XLSX'));
  const crit = s.explain[0];
  const detail = (d: Record<string, number | string> | undefined) => (d ? Object.entries(d).map(([k, v]) => `${k} ${typeof v === 'number' ? n0(v) : v}`).join(', ') : '');
  return {
    sc: 'yes',
    'sc.viaApp': viaApp,
    'sc.responses': n0(seed.responses),
    'sc.units': n0(seed.units),
    'sc.report': rep ? ms(rep.medianMs) : undefined,
    'sc.reportVerdict': rep ? verdictAtMost(rep.medianMs, TARGET.reportMs) : undefined,
    'sc.json': json ? ms(json.medianMs) : undefined,
    'sc.jsonVerdict': json ? verdictAtMost(json.medianMs, TARGET.reportMs) : undefined,
    'sc.jsonSize': json ? kib(json.bytes) : undefined,
    'sc.xlsx': xlsx ? ms(xlsx.medianMs) : undefined,
    'sc.xlsxVerdict': xlsx ? verdictAtMost(xlsx.medianMs, TARGET.xlsxMs) : undefined,
    'sc.trendJson': trendJson ? ms(trendJson.medianMs) : undefined,
    'sc.trendJsonVerdict': trendJson ? verdictAtMost(trendJson.medianMs, TARGET.reportMs) : undefined,
    'sc.trendXlsx': trendXlsx ? ms(trendXlsx.medianMs) : undefined,
    'sc.trendXlsxVerdict': trendXlsx ? verdictAtMost(trendXlsx.medianMs, TARGET.xlsxMs) : undefined,
    'sc.peakRss': mib(Math.max(...s.downloads.map((d) => d.peakRssMiB))),
    ...(micro ? { 'sc.micro': 'yes', 'sc.micro.responses': n0((micro.lines ?? 1) - 1), 'sc.micro.size': kib(micro.bytes), 'sc.micro.peak': mib(micro.peakRssMiB), 'sc.micro.before': mib(micro.rssBeforeMiB) } : {}),
    'sc.rssVerdict': micro && micro.peakRssMiB - micro.rssBeforeMiB < 200 ? 'met (streamed)' : 'see §3',
    'sc.database': seed.database,
    'sc.answers': n0(seed.answers),
    'sc.answersPerResponse': n1(seed.answers / seed.responses),
    'sc.cliRebuild': 'scoring:verify --rebuild' in seed.timingsMs,
    'sc.reusedAt': seed.reused ? seed.seededAt : undefined,
    'sc.seedRows': rows(seedPhases(seed.timingsMs).map(([k, v]) => [k, ms(v)])),
    'sc.sizes': Object.entries(seed.sizes).map(([k, v]) => `${k} ${v}`).join(', '),
    'sc.criterionRows': n0(seed.rollupRows.criterion),
    'sc.optionRows': n0(seed.rollupRows.option),
    'sc.monthlyCriterionRows': n0(seed.rollupRows.monthlyCriterion ?? 0),
    'sc.monthlyOptionRows': n0(seed.rollupRows.monthlyOption ?? 0),
    'sc.monthlyRows': n0((seed.rollupRows.monthlyCriterion ?? 0) + (seed.rollupRows.monthlyOption ?? 0)),
    'sc.dailyRows': n0(seed.rollupRows.criterion + seed.rollupRows.option),
    'sc.inProcessRows': rows(s.inProcess.map((t) => [t.label, `**${ms(t.medianMs)}**`, t.runsMs.map((v) => ms(v)).join(', '), detail(t.detail)])),
    'sc.downloadRows': rows(s.downloads.map((d) => [d.label, `**${ms(d.medianMs)}**`, d.runs.map((r) => ms(r.ms)).join(', '), ms(d.runs[0]?.ttfbMs), kib(d.bytes), d.lines === undefined ? '–' : n0(d.lines), `${mib(d.rssBeforeMiB)} → ${mib(d.peakRssMiB)}`])),
    ...(crit ? { 'sc.plan': crit.plan.slice(0, 24).join('\n'), 'sc.planTime': crit.plan.find((l) => /Execution Time/.test(l))?.trim() ?? '' } : {}),
    ...profileValues('pr.web', s.profile?.profile),
    ...(rep && rep.medianMs > TARGET.reportMs ? { 'c.report': 'yes', 'c.any': 'yes', 'c.report.runs': rep.runsMs.map((v) => ms(v)).join(', ') } : {}),
    ...(rep && rep.medianMs <= TARGET.reportMs && json && json.medianMs > TARGET.reportMs ? { 'c.json': 'yes', 'c.any': 'yes' } : {}),
    ...(xlsx && xlsx.medianMs > TARGET.xlsxMs ? { 'c.xlsx': 'yes', 'c.any': 'yes' } : {}),
  };
}
