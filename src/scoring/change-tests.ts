import type { Interval, ReportNode } from './report-schema.js';
import type { IndexChange } from './trend-schema.js';
import { Z_95 } from './wilson-interval.js';

type Counts = NonNullable<ReportNode['counts']>;

/** |change| > 1.96·se; with no spread at all, equal sides are no change and unequal ones cannot be noise. */
const significant = (change: number, se: number): boolean => (se > 0 ? Math.abs(change) > Z_95 * se : change !== 0);

const missing = (a: number | null, b: number | null): IndexChange => ({ a, b, change: null, se: null, significant: null });

/**
 * A criterion's index is the share p = (answers 4–5) / (answers 1–5). Its change is
 * tested with the pooled two-proportion z-test: under "no change" both sides share
 * p̄ = (x_A + x_B) / (n_A + n_B), so se = 100·√(p̄(1 − p̄)(1/n_A + 1/n_B)) points, and the
 * change is significant when |p_B − p_A| / se > 1.96 (two-sided, 5 %).
 */
export function twoProportionChange(a: Counts | undefined, b: Counts | undefined): IndexChange {
  const valid = (c: Counts | undefined) => (c ? { x: c['4'] + c['5'], n: c['1'] + c['2'] + c['3'] + c['4'] + c['5'] } : { x: 0, n: 0 });
  const [ca, cb] = [valid(a), valid(b)];
  const pa = ca.n > 0 ? (100 * ca.x) / ca.n : null;
  const pb = cb.n > 0 ? (100 * cb.x) / cb.n : null;
  if (pa === null || pb === null) return missing(pa, pb);
  const pooled = (ca.x + cb.x) / (ca.n + cb.n);
  const se = 100 * Math.sqrt(pooled * (1 - pooled) * (1 / ca.n + 1 / cb.n));
  const change = pb - pa;
  return { a: pa, b: pb, change, se, significant: significant(change, se) };
}

/**
 * The standard error behind a mean's published 95 % interval. Means (elements, fields,
 * overall indices, totals) are published as index ± 1.96·se clamped to [0, 100]
 * (score-tree.ts, unit-totals.ts), so the larger half-width is 1.96·se exactly unless both
 * ends were clamped; then only a lower bound is known and `null` is returned.
 */
export function seOfMean(index: number, ci: Interval): number | null {
  if (ci.low <= 0 && ci.high >= 100) return null;
  return Math.max(index - ci.low, ci.high - index) / Z_95;
}

/**
 * A change of an aggregate index, by the interval of the difference: the two sides are
 * independent samples, so se(B − A) = √(se_A² + se_B²), and the change is significant when
 * its 95 % interval, change ± 1.96·se, leaves out 0. An interval spanning the whole scale
 * (se unknown) never shows a change.
 */
export function differenceChange(a: { index: number | null; ci: Interval | null }, b: { index: number | null; ci: Interval | null }): IndexChange {
  if (a.index === null || b.index === null || !a.ci || !b.ci) return missing(a.index, b.index);
  const change = b.index - a.index;
  const [sa, sb] = [seOfMean(a.index, a.ci), seOfMean(b.index, b.ci)];
  if (sa === null || sb === null) return { a: a.index, b: b.index, change, se: null, significant: false };
  const se = Math.sqrt(sa * sa + sb * sb);
  return { a: a.index, b: b.index, change, se, significant: significant(change, se) };
}
