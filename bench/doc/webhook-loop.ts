/** §1's event-loop delay and GC figures, the fixed-rate open loop and the webhook targets, as docs/BENCHMARKS.md reports them. */
import { median } from '../lib/stats.js';
import type { LevelRun, OpenResult, WebhookResult } from '../webhook/bench-webhook.js';
import { topRatios, type RatioRounds } from '../webhook/top-ratios.js';
import type { LoopStats } from '../webhook/loop-reader.js';
import type { Values } from './fill-template.js';
import { ms, n0, n2, pct, rows, table, verdictAtLeast, verdictAtMost } from './format.js';
import { WEBHOOK_TARGET } from './targets.js';
import { keptUp, LABEL } from './webhook-runs.js';

/** "web / worker" for product-split, the one process's figure otherwise. */
const both = (x: LevelRun, f: (l: LoopStats) => string) => (x.loop ? (x.loop.worker ? `${f(x.loop.web)} / ${f(x.loop.worker)}` : f(x.loop.web)) : '–');

export function loopRow(x: LevelRun): (string | number)[] {
  return [
    x.citizens,
    LABEL[x.target],
    both(x, (l) => ms(l.delayMs.p50)),
    both(x, (l) => ms(l.delayMs.p90)),
    both(x, (l) => ms(l.delayMs.p99)),
    both(x, (l) => ms(l.delayMs.max)),
    both(x, (l) => n0(l.gc.count)),
    both(x, (l) => ms(l.gc.totalMs)),
    both(x, (l) => ms(l.gc.maxMs)),
    both(x, (l) => ms(l.gc.byKind.major?.maxMs ?? 0)),
  ];
}

/** A target's open-loop runs, one per round, summarised by the median of each figure (lost: the sum). */
function openSummary(o: OpenResult, target: LevelRun['target']) {
  const runs = o.rounds.flatMap((r) => r.filter((x) => x.target === target));
  const med = (f: (x: LevelRun) => number | null | undefined) => {
    const v = runs.map(f).filter((n): n is number => typeof n === 'number' && !Number.isNaN(n));
    return v.length ? median(v) : NaN;
  };
  const lost = runs.every((x) => x.lostAnswers === null) ? null : runs.reduce((s, x) => s + (x.lostAnswers ?? 0), 0);
  const expected = runs.reduce((s, x) => s + (x.expectedAnswers ?? 0), 0);
  return {
    runs,
    achieved: med((x) => x.load.updatesPerSecond),
    p50: med((x) => x.load.latencyMs.p50),
    p99: med((x) => x.load.latencyMs.p99),
    max: med((x) => x.load.latencyMs.p100),
    late: med((x) => x.load.lateSends),
    updates: med((x) => x.load.measuredUpdates ?? x.load.updates),
    startP99: med((x) => x.load.startLatencyMs?.p99),
    loopP99: med((x) => x.loop?.web.delayMs.p99),
    workerLoopP99: med((x) => x.loop?.worker?.delayMs.p99),
    gcMax: med((x) => (x.loop ? Math.max(x.loop.web.gc.maxMs, x.loop.worker?.gc.maxMs ?? 0) : undefined)),
    /** Most rounds kept up with the offered rate (at most 1 % of sends late). */
    sustained: runs.filter(keptUp).length * 2 > runs.length,
    lost,
    expected,
  };
}

function openValues(o: OpenResult): Values {
  const targets = (['bare', 'product', 'product-split', 'grammy'] as const).filter((t) => o.rounds[0]?.some((x) => x.target === t));
  const cells = targets.map((t) => {
    const s = openSummary(o, t);
    return [
      LABEL[t],
      s.sustained || s.runs.every((x) => x.load.rateFromAcks || x.load.measuredUpdates === undefined) ? n0(s.achieved) : '– (not counted)',
      ms(s.p50),
      ms(s.p99),
      ms(s.max),
      ms(s.startP99),
      `${n0(s.late)} / ${n0(s.updates)}`,
      s.sustained ? 'yes' : '**no**',
      Number.isNaN(s.workerLoopP99) ? ms(s.loopP99) : `${ms(s.loopP99)} / ${ms(s.workerLoopP99)}`,
      ms(s.gcMax),
      s.lost === null ? '–' : `${n0(s.lost)} / ${n0(s.expected)}`,
      s.runs.map((x) => ms(x.load.latencyMs.p99)).join(', '),
    ];
  });
  return {
    'w.open': 'yes',
    'w.open.rate': n0(o.ratePerSecond),
    'w.open.citizens': o.citizens,
    'w.open.rounds': o.rounds.length,
    'w.open.interval': n0((o.citizens / o.ratePerSecond) * 1000),
    'w.open.rows': rows(cells),
  };
}

const x2 = (v: number) => `${n2(v)}×`;
const ratioText = (r: RatioRounds, f: (v: number) => string) => `${f(r.median)}${r.rounds.length > 1 ? ` (median of ${r.rounds.length} rounds: ${r.rounds.map(f).join(', ')})` : ''}`;
/** met / missed and by how much, for a figure that must stay at or under `target`. */
function underVerdict(value: number, target: number): string {
  if (Number.isNaN(value)) return '–';
  return value <= target ? `met, ${ms(target - value)} under` : verdictAtMost(value, target);
}
const overVerdict = (value: number, target: number) => (Number.isNaN(value) ? '–' : verdictAtLeast(value, target));

/** The webhook targets: ratios at the top level (median of its rounds), the fixed-rate open loop, answers lost. */
function targetRows(w: WebhookResult): string[][] {
  const T = WEBHOOK_TARGET;
  const ratios = w.ratios ?? topRatios(w);
  const top = w.levels.at(-1)!;
  const out: string[][] = [];
  for (const t of ['product', 'product-split'] as const) {
    const r = ratios[t];
    if (r?.vsGrammy) out.push([`${LABEL[t]} / grammY + conversations, acked updates/s at ${top} citizens`, `≥ ${x2(T.vsGrammy)}`, ratioText(r.vsGrammy, x2), overVerdict(r.vsGrammy.median, T.vsGrammy)]);
    if (r?.vsBare) out.push([`${LABEL[t]} / bare fastify, acked updates/s at ${top} citizens`, `≥ ${pct(T.vsBare)}`, ratioText(r.vsBare, pct), overVerdict(r.vsBare.median, T.vsBare)]);
  }
  const o = w.open;
  if (o && o.rounds[0]?.some((x) => x.target === 'product')) {
    const s = openSummary(o, 'product');
    const rate = `${n0(o.ratePerSecond)} updates/s`;
    // A verdict only at the rate the target names, and only when the offered rate was sustained (otherwise latency is queueing).
    const at = (v: number, target: number) =>
      o.ratePerSecond !== T.openRate ? `– (run at ${rate}; the target names ${n0(T.openRate)}/s)` : s.sustained ? underVerdict(v, target) : `**missed** — ${rate} not sustained (achieved ${n0(s.achieved)}/s)`;
    const rounds = `median of ${s.runs.length} rounds`;
    out.push([`p99 ack latency, ${LABEL.product}, open loop at ${rate} by ${o.citizens} citizens`, `≤ ${T.p99Ms} ms at ${n0(T.openRate)}/s`, `${ms(s.p99)} (${rounds}: ${s.runs.map((x) => ms(x.load.latencyMs.p99)).join(', ')}); achieved ${n0(s.achieved)} updates/s`, at(s.p99, T.p99Ms)]);
    out.push([`Event-loop delay p99 there`, `≤ ${T.loopP99Ms} ms`, `${ms(s.loopP99)} (${rounds}: ${s.runs.map((x) => ms(x.loop?.web.delayMs.p99)).join(', ')}); GC max pause ${ms(s.gcMax)}`, at(s.loopP99, T.loopP99Ms)]);
  }
  const productRuns = [...w.runs, ...(w.topRounds ?? []).flat(), ...(w.paced?.runs ?? []), ...(o?.rounds ?? []).flat()].filter((x) => x.target === 'product' || x.target === 'product-split');
  if (productRuns.length) {
    const lost = productRuns.reduce((s, x) => s + (x.lostAnswers ?? 0), 0);
    const expected = productRuns.reduce((s, x) => s + (x.expectedAnswers ?? 0), 0);
    out.push([`Answers lost by the product (both deployments, every run of this section)`, `${T.lost}`, `${n0(lost)} of ${n0(expected)}`, lost <= T.lost ? 'met' : `**missed** by ${n0(lost - T.lost)}`]);
  }
  return out;
}

/** The values of §1's loop table, fixed-rate open loop and targets table. */
export function webhookLoopValues(w: WebhookResult): Values {
  const withLoop = w.runs.filter((x) => x.loop);
  const targets = targetRows(w);
  return {
    'w.loop': withLoop.length ? 'yes' : undefined,
    'w.loopRows': rows(withLoop.map(loopRow)),
    ...(w.open ? openValues(w.open) : {}),
    'w.targets': targets.length ? 'yes' : undefined,
    'w.targetsTable': table(['What', 'Target', 'Measured', 'Verdict'], targets),
  };
}
