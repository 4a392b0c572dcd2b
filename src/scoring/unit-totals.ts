import type { IndexNodeInput } from '../questionnaire/definition-schema.js';
import type { Interval, ReportNode } from './report-schema.js';
import { Z_95 } from './wilson-interval.js';
import type { TreeScore } from './score-tree.js';

/** How a total over several units is formed: the mean of their published indices ("trung bình", as provinces publish), or all their answers pooled. */
export type TotalRule = 'mean_of_units' | 'pooled';

type Member = { nodes: ReportNode[]; index: number | null; ci: Interval | null };

const seOf = (ci: Interval | null) => (ci ? (ci.high - ci.low) / (2 * Z_95) : 0);

/** Unweighted mean of the non-null values, with an interval treating the units as independent samples. */
function mean(values: { index: number | null; ci: Interval | null }[]): { index: number | null; ci: Interval | null } {
  const valid = values.filter((v) => v.index !== null);
  if (valid.length === 0) return { index: null, ci: null };
  const k = valid.length;
  const index = valid.reduce((s, v) => s + v.index!, 0) / k;
  const se = Math.sqrt(valid.reduce((s, v) => s + seOf(v.ci) ** 2, 0)) / k;
  return { index, ci: { low: Math.max(0, index - Z_95 * se), high: Math.min(100, index + Z_95 * se) } };
}

function byCode(nodes: ReportNode[], into = new Map<string, ReportNode>()): Map<string, ReportNode> {
  for (const n of nodes) {
    into.set(n.code, n);
    if (n.children) byCode(n.children, into);
  }
  return into;
}

/**
 * The total of several published units, node by node, as the mean of the units' own
 * indices (each unit counts once, whatever its sample size). `n` and criterion `counts`
 * are the sums over the units averaged, so readers still see what lies behind the mean.
 */
export function meanOfUnits(tree: IndexNodeInput[], members: Member[]): TreeScore {
  const maps = members.map((m) => byCode(m.nodes));
  const build = (def: IndexNodeInput): ReportNode => {
    const own = maps.map((m) => m.get(def.code)).filter((n): n is ReportNode => n !== undefined && n.index !== null);
    const { index, ci } = mean(own);
    const n = own.reduce((s, x) => s + (x.n ?? 0), 0);
    const node: ReportNode = { code: def.code, kind: def.kind, title: def.title.vi, index, ci, n };
    if (def.kind === 'criterion') {
      const counts = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, na: 0 };
      for (const x of own) for (const k of Object.keys(counts) as (keyof typeof counts)[]) counts[k] += x.counts?.[k] ?? 0;
      return { ...node, counts };
    }
    return { ...node, children: (def.children ?? []).map(build) };
  };
  return { ...mean(members), nodes: tree.map(build) };
}
