import type { IndexNodeInput } from '../questionnaire/definition-schema.js';
import type { LikertCounts } from './count-types.js';
import type { Interval, ReportNode } from './report-schema.js';
import { Z_95, wilsonInterval } from './wilson-interval.js';

export type TreeScore = { index: number | null; ci: Interval | null; nodes: ReportNode[] };

/** A scored node plus its standard error in percentage points (internal). */
type Scored = { node: ReportNode; se: number | null };

function scoreCriterion(def: IndexNodeInput, c: LikertCounts | undefined): Scored {
  const k = c ?? { c1: 0, c2: 0, c3: 0, c4: 0, c5: 0, na: 0 };
  const n = k.c1 + k.c2 + k.c3 + k.c4 + k.c5;
  const satisfied = k.c4 + k.c5;
  const ci = wilsonInterval(satisfied, n);
  return {
    node: {
      code: def.code,
      kind: def.kind,
      title: def.title.vi,
      index: n > 0 ? (100 * satisfied) / n : null,
      ci,
      n,
      counts: { '1': k.c1, '2': k.c2, '3': k.c3, '4': k.c4, '5': k.c5, na: k.na },
    },
    se: ci ? (ci.high - ci.low) / (2 * Z_95) : null,
  };
}

/** Unweighted mean of the non-null children, with its standard error (independence assumed). */
function meanOf(children: Scored[]): { index: number | null; ci: Interval | null; se: number | null } {
  const valid = children.filter((c) => c.node.index !== null);
  if (valid.length === 0) return { index: null, ci: null, se: null };
  const k = valid.length;
  const index = valid.reduce((sum, c) => sum + c.node.index!, 0) / k;
  const se = Math.sqrt(valid.reduce((sum, c) => sum + (c.se ?? 0) ** 2, 0)) / k;
  const ci = { low: Math.max(0, index - Z_95 * se), high: Math.min(100, index + Z_95 * se) };
  return { index, ci, se };
}

function scoreNode(def: IndexNodeInput, countsOf: (code: string) => LikertCounts | undefined): Scored {
  if (def.kind === 'criterion') return scoreCriterion(def, countsOf(def.code));
  const children = (def.children ?? []).map((child) => scoreNode(child, countsOf));
  const { index, ci, se } = meanOf(children);
  const n = children.reduce((sum, c) => sum + (c.node.n ?? 0), 0);
  return { node: { code: def.code, kind: def.kind, title: def.title.vi, index, ci, n, children: children.map((c) => c.node) }, se };
}

/**
 * Scores a questionnaire's index tree from likert counts per criterion code.
 *
 * - criterion index = 100 × (answers 4 or 5) / (valid answers 1–5); "not applicable"
 *   is excluded from the denominator; `null` when there is no valid answer.
 *   Its `ci` is the 95% Wilson interval.
 * - element = unweighted mean of its criteria; field = unweighted mean of its elements;
 *   the returned `index` = unweighted mean of the top-level nodes (fields, or elements
 *   for one-field instruments). **Means skip `null` children** (a criterion nobody could
 *   rate does not pull its element down); a node whose children are all `null` is `null`.
 * - Intervals of means (delta method / normal approximation): each criterion's standard
 *   error is its Wilson half-width / z (≈ √(p(1−p)/n) for large n, but still positive
 *   when p is 0 or 1); child indices are treated as independent, so
 *   var(mean) = Σ var_i / k² over the k non-null children, and the interval is
 *   mean ± z·√var, clamped to [0, 100]. Criteria answered by the same respondents are
 *   usually positively correlated, so these intervals are, if anything, too narrow.
 *
 * - `n` (sample size): valid answers of a criterion; on fields and elements the sum over
 *   their criteria (ratings, not respondents).
 *
 * Full precision throughout; nothing is rounded here.
 */
export function scoreTree(tree: IndexNodeInput[], countsOf: (criterionCode: string) => LikertCounts | undefined): TreeScore {
  const top = tree.map((def) => scoreNode(def, countsOf));
  const { index, ci } = meanOf(top);
  return { index, ci, nodes: top.map((t) => t.node) };
}

/** The tree's shape with every figure withheld (a suppressed unit): indices null, no n or counts. */
export function withheldTree(tree: IndexNodeInput[]): ReportNode[] {
  return tree.map((def) => ({
    code: def.code,
    kind: def.kind,
    title: def.title.vi,
    index: null,
    ci: null,
    ...(def.kind === 'criterion' ? {} : { children: withheldTree(def.children ?? []) }),
  }));
}
