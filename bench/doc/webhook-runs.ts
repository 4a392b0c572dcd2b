/** The webhook benchmark's runs as docs/BENCHMARKS.md reports them. */
import { median } from '../lib/stats.js';
import type { LevelRun, WebhookResult } from '../webhook/bench-webhook.js';
import { topLevelRounds } from '../webhook/top-ratios.js';
import { ms, n0, n1, n2, pct, table, verdictAtLeast, verdictAtMost } from './format.js';
import type { Values } from './fill-template.js';
import { TARGET } from './targets.js';

export const LABEL: Record<LevelRun['target'], string> = {
  bare: 'bare fastify',
  product: '**product** (one process)',
  'product-split': '**product** (web + worker processes)',
  grammy: 'grammY + conversations',
};

/** Updates per second until every answer was in PostgreSQL (ack phase + drain). */
export const sustained = (x: LevelRun) => (x.endToEndMs ? (x.load.updates / x.endToEndMs) * 1000 : NaN);
/** An open-loop run kept up with the offered rate when at most 1 % of its sends left late. */
export const keptUp = (x: LevelRun) => x.load.lateSends <= 0.01 * Math.max(1, x.load.measuredUpdates ?? x.load.updates);
/** "3.12×" for one round; "3.12× (median of 3 rounds: 3.0×, 3.12×, 3.3×)" for several. */
const ratioText = (v: number[]) => (v.length > 1 ? `${n2(median(v))}× (median of ${v.length} rounds: ${v.map((x) => `${n2(x)}×`).join(', ')})` : `${n2(median(v))}×`);

/** The top level's rounds: the level run first, then the extra rounds. */
export const topRounds = (w: WebhookResult): LevelRun[][] => topLevelRounds(w);

export function roundsTable(w: WebhookResult): string {
  const rounds = topRounds(w);
  const targets = (['bare', 'product', 'product-split', 'grammy'] as const).filter((t) => rounds[0]!.some((x) => x.target === t));
  const rate = (round: LevelRun[], t: LevelRun['target']) => round.find((x) => x.target === t)?.load.updatesPerSecond ?? NaN;
  const cells = rounds.map((round, i) => [String(i + 1), ...targets.map((t) => n0(rate(round, t))), `${n2(rate(round, 'product') / rate(round, 'grammy'))}×`, `${n2(rate(round, 'product-split') / rate(round, 'grammy'))}×`]);
  return table(['round', ...targets.map((t) => `${LABEL[t]} (acked/s)`), 'product / grammY', 'product (web + worker) / grammY'], cells);
}

/** The summary's rows for one deployment (`s.product` or `s.split`); nothing when it or grammY did not run at the top level. */
export function deploymentSummary(w: WebhookResult, target: 'product' | 'product-split', key: string): Values {
  const top = w.levels.at(-1)!;
  const p = w.runs.find((x) => x.target === target && x.citizens === top);
  if (!p || !w.runs.some((x) => x.target === 'grammy' && x.citizens === top)) return {};
  const rounds = topRounds(w).flatMap((round) => {
    const a = round.find((x) => x.target === target);
    const b = round.find((x) => x.target === 'grammy');
    return a && b ? [{ acked: a.load.updatesPerSecond / b.load.updatesPerSecond, e2e: sustained(a) / sustained(b) }] : [];
  });
  const paced = w.paced?.runs.find((x) => x.target === target);
  return {
    [key]: 'yes',
    [`${key}.acked`]: ratioText(rounds.map((x) => x.acked)),
    [`${key}.e2e`]: ratioText(rounds.map((x) => x.e2e)),
    [`${key}.first`]: rounds.length > 1 ? 'first round: ' : '',
    [`${key}.rate`]: n0(p.load.updatesPerSecond),
    [`${key}.e2eRate`]: n0(sustained(p)),
    [`${key}.ackedVerdict`]: verdictAtLeast(median(rounds.map((x) => x.acked)), TARGET.ratio),
    [`${key}.e2eVerdict`]: verdictAtLeast(median(rounds.map((x) => x.e2e)), TARGET.ratio),
    [`${key}.p99`]: ms(p.load.latencyMs.p99),
    [`${key}.p99Verdict`]: verdictAtMost(p.load.latencyMs.p99!, TARGET.p99Ms),
    ...(paced
      ? {
          [`${key}.paced`]: 'yes',
          [`${key}.paced.citizens`]: paced.citizens,
          [`${key}.paced.p99`]: ms(paced.load.latencyMs.p99),
          [`${key}.paced.achieved`]: n0(paced.load.updatesPerSecond),
          [`${key}.paced.late`]: keptUp(paced) ? undefined : n0(paced.load.lateSends),
          [`${key}.paced.sends`]: n0(paced.load.updates),
          [`${key}.paced.verdict`]: keptUp(paced) ? verdictAtMost(paced.load.latencyMs.p99!, TARGET.p99Ms) : '**missed** — the offered load was not sustained',
        }
      : {}),
  };
}

export function levelRow(x: LevelRun): (string | number)[] {
  return [
    x.citizens,
    LABEL[x.target],
    n0(x.load.updatesPerSecond),
    x.endToEndMs === null ? '–' : n0(sustained(x)),
    ms(x.load.latencyMs.p50),
    ms(x.load.latencyMs.p90),
    ms(x.load.latencyMs.p99),
    ms(x.load.latencyMs.p100),
    Object.entries(x.load.statusCounts).filter(([s]) => s !== '200').map(([s, k]) => `${k}×${s}`).join(' ') || '0',
    x.lostAnswers === null ? '–' : `${x.lostAnswers} / ${n0(x.expectedAnswers)}`,
    x.completedResponses === null ? '–' : `${x.completedResponses}/${x.citizens}`,
    ms(x.drainAfterLastAckMs),
    x.failedAnswerAttempts === null ? '–' : String(x.failedAnswerAttempts),
    x.workerRss ? `${n0(x.rss.peakRssMiB)} MiB + ${n0(x.workerRss.peakRssMiB)} MiB` : `${n0(x.rss.peakRssMiB)} MiB`,
    n2(x.targetCores),
    `${n1(x.serviceCpuSeconds.postgres)} / ${n1(x.serviceCpuSeconds.redis)}`,
    pct(x.machineBusyShare),
    `${n2(x.loadBefore.load1)}→${n2(x.loadAfter.load1)}`,
  ];
}

export function ratioRow(w: WebhookResult, lvl: number): string[] {
  const run = (t: LevelRun['target']) => w.runs.find((x) => x.target === t && x.citizens === lvl);
  const acked = (t: LevelRun['target']) => run(t)?.load.updatesPerSecond ?? NaN;
  const e2e = (t: LevelRun['target']) => (run(t) ? sustained(run(t)!) : NaN);
  const x = (v: number) => `${n2(v)}×`;
  return [String(lvl), x(acked('product') / acked('grammy')), x(acked('product-split') / acked('grammy')), x(e2e('product') / e2e('grammy')), x(e2e('product-split') / e2e('grammy')), x(acked('product') / acked('bare')), x(acked('grammy') / acked('bare'))];
}

