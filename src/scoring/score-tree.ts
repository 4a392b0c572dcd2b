import type { Aggregation, AggregationRule, IndexNodeInput } from '../questionnaire/definition-schema.js';
import type { LikertCounts } from './count-types.js';
import type { Interval, ReportNode } from './report-schema.js';
import { Z_95, wilsonInterval } from './wilson-interval.js';

export type TreeScore = { index: number | null; ci: Interval | null; nodes: ReportNode[] };

/** A scored node plus its standard error in percentage points, and the criteria below it (internal). */
type Scored = { node: ReportNode; se: number | null; criteria: Scored[] };

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
    criteria: [],
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

const criteriaBelow = (scored: Scored[]): Scored[] => scored.flatMap((s) => (s.node.kind === 'criterion' ? [s] : s.criteria));

/** The mean a level's rule asks for: of its children, or of every criterion below it. */
const combine = (children: Scored[], rule: AggregationRule) => meanOf(rule === 'mean_of_criteria' ? criteriaBelow(children) : children);

function scoreNode(def: IndexNodeInput, countsOf: (code: string) => LikertCounts | undefined, aggregation: Aggregation | undefined): Scored {
  if (def.kind === 'criterion') return scoreCriterion(def, countsOf(def.code));
  const children = (def.children ?? []).map((child) => scoreNode(child, countsOf, aggregation));
  // An element's children are criteria: both rules give the same mean.
  const rule = def.kind === 'field' ? (aggregation?.field?.rule ?? 'mean_of_children') : 'mean_of_children';
  const { index, ci, se } = combine(children, rule);
  const n = children.reduce((sum, c) => sum + (c.node.n ?? 0), 0);
  return { node: { code: def.code, kind: def.kind, title: def.title.vi, index, ci, n, children: children.map((c) => c.node) }, se, criteria: criteriaBelow(children) };
}

/**
 * Scores a questionnaire's index tree from likert counts per criterion code.
 *
 * - criterion index = 100 × (answers 4 or 5) / (valid answers 1–5); "not applicable"
 *   is excluded from the denominator; `null` when there is no valid answer.
 *   Its `ci` is the 95% Wilson interval.
 * - element = unweighted mean of its criteria. A field, and the returned overall `index`,
 *   combine as the definition's `aggregation` declares: the unweighted mean of their
 *   children (elements, or the top-level nodes), or the unweighted mean of every criterion
 *   below them (the 2023–2026 national overall index is the mean of its 39 criteria, not of
 *   its two fields). Without a declaration every level is the mean of its children.
 *   **Means skip `null` children** (a criterion nobody could rate does not pull its element
 *   down); a node whose children are all `null` is `null`.
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
export function scoreTree(tree: IndexNodeInput[], countsOf: (criterionCode: string) => LikertCounts | undefined, aggregation?: Aggregation): TreeScore {
  const top = tree.map((def) => scoreNode(def, countsOf, aggregation));
  const { index, ci } = combine(top, aggregation?.overall.rule ?? 'mean_of_children');
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
