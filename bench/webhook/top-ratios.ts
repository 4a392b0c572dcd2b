/** The product's speed against its baselines at the top level, over the rounds of that level (no process or I/O here: the doc renderer uses it too). */
import { median, round2 } from '../lib/stats.js';
import type { LevelRun } from './run-level.js';
import type { Target } from './webhook-targets.js';

type TopLevel = { levels: number[]; runs: LevelRun[]; topRounds?: LevelRun[][] };

/** Median over the top level's rounds (round 1 = the level run) of a product target's acked updates/s over a baseline's. */
export type RatioRounds = { rounds: number[]; median: number };
export type TopRatios = Partial<Record<'product' | 'product-split', { vsGrammy: RatioRounds | null; vsBare: RatioRounds | null }>>;

/** The top level's rounds: the level run first, then the extra rounds. */
export function topLevelRounds(w: TopLevel): LevelRun[][] {
  const top = w.levels.at(-1)!;
  return [w.runs.filter((x) => x.citizens === top), ...(w.topRounds ?? [])];
}

export function topRatios(w: TopLevel): TopRatios {
  const rounds = topLevelRounds(w);
  const rate = (round: LevelRun[], t: Target) => round.find((x) => x.target === t)?.load.updatesPerSecond;
  const ratio = (t: Target, base: Target): RatioRounds | null => {
    const v = rounds.flatMap((round) => {
      const [a, b] = [rate(round, t), rate(round, base)];
      return a !== undefined && b ? [round2(a / b)] : [];
    });
    return v.length ? { rounds: v, median: median(v) } : null;
  };
  const out: TopRatios = {};
  for (const t of ['product', 'product-split'] as const) if (rounds[0]!.some((x) => x.target === t)) out[t] = { vsGrammy: ratio(t, 'grammy'), vsBare: ratio(t, 'bare') };
  return out;
}

