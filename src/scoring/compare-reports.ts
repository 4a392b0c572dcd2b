import { differenceChange, twoProportionChange } from './change-tests.js';
import type { GroupReport, IndexReport, ReportNode, UnitReport } from './report-schema.js';
import type { GroupTrend, IndexChange, NodeChange, TrendReport, TrendSide, UnitTrend } from './trend-schema.js';

/** A published scope of either report: a unit, a group total or the overall block. */
type Scope = Pick<UnitReport, 'responses' | 'index' | 'ci' | 'suppressed' | 'nodes'>;

function flatten(nodes: readonly ReportNode[], out: ReportNode[] = []): ReportNode[] {
  for (const n of nodes) {
    out.push(n);
    if (n.children) flatten(n.children, out);
  }
  return out;
}

const byCode = (nodes: readonly ReportNode[]) => new Map(flatten(nodes).map((n) => [n.code, n]));

/** The nodes both instruments have (same code and kind), in report B's order, and those left out. */
function sharedNodes(a: IndexReport, b: IndexReport): { shared: SharedNode[]; leftOut: TrendReport['leftOut'] } {
  const inA = byCode(a.overall.nodes);
  const inB = byCode(b.overall.nodes);
  const same = (n: ReportNode, other: Map<string, ReportNode>) => other.get(n.code)?.kind === n.kind;
  const positionA = new Map(flatten(a.overall.nodes).map((n, i) => [n.code, i]));
  const shared = flatten(b.overall.nodes).flatMap((node, inB) => (same(node, inA) ? [{ node, inA: positionA.get(node.code)!, inB }] : []));
  const leftOut = [
    ...[...inA.values()].filter((n) => !same(n, inB)).map((n) => ({ code: n.code, kind: n.kind, title: n.title, onlyIn: 'a' as const })),
    ...[...inB.values()].filter((n) => !same(n, inA)).map((n) => ({ code: n.code, kind: n.kind, title: n.title, onlyIn: 'b' as const })),
  ];
  return { shared, leftOut };
}

/** A compared node and its position in each report's depth-first node order (every scope of a report lists its nodes in the same order). */
type SharedNode = { node: ReportNode; inA: number; inB: number };

/** The node at its usual position, or found by code if a scope was laid out otherwise. */
const at = (flat: ReportNode[], position: number, code: string): ReportNode | undefined => (flat[position]?.code === code ? flat[position] : flat.find((n) => n.code === code));

const NO_CHANGE: IndexChange = { a: null, b: null, change: null, se: null, significant: null };

/** Withheld on either side: nothing is compared (the published side's value is not repeated either). */
const withheld = (x: Scope | undefined) => !x || x.suppressed;

/**
 * Compares one scope. `proportions`: its criterion indices are shares of its own answers
 * (a unit, or a pooled total), so criteria get the two-proportion test; otherwise (a mean
 * of unit indices) every node is compared by the interval of the difference.
 */
function compareScope(a: Scope | undefined, b: Scope | undefined, shared: SharedNode[], proportions: boolean) {
  const hidden = withheld(a) || withheld(b);
  const [flatA, flatB] = [flatten(a?.nodes ?? []), flatten(b?.nodes ?? [])];
  const nodes: NodeChange[] = shared.map(({ node: def, inA, inB }) => {
    const [na, nb] = [at(flatA, inA, def.code), at(flatB, inB, def.code)];
    const change = hidden || !na || !nb ? NO_CHANGE : def.kind === 'criterion' && proportions ? twoProportionChange(na.counts, nb.counts) : differenceChange(na, nb);
    return { code: def.code, ...change };
  });
  return {
    responses: { a: a?.responses ?? null, b: b?.responses ?? null },
    suppressed: hidden,
    overall: hidden ? NO_CHANGE : differenceChange(a!, b!),
    nodes,
  };
}

/** A group's display label where the report carries one (unit groups as data), else its code. */
const groupLabel = (g: GroupReport): string => g.label ?? g.group;

const side = (r: IndexReport): TrendSide => ({
  name: r.periodName ?? `${r.period.from ?? '…'}–${r.period.to ?? '…'}`,
  from: r.period.from,
  to: r.period.to,
  questionnaire: { code: r.questionnaire.code, version: r.questionnaire.version, title: r.questionnaire.title },
});

function unionBy<T>(bList: readonly T[], aList: readonly T[], key: (x: T) => string): string[] {
  const keys = bList.map(key);
  const seen = new Set(keys);
  for (const x of aList) if (!seen.has(key(x))) keys.push(key(x));
  return keys;
}

/**
 * Compares two index reports of the same scope (A earlier, B later): every unit and group
 * of either, the overall block, each on the nodes both instruments share. Ranks are each
 * report's own ranks within the unit's group; their change is A − B (up is positive).
 * Pure: the reports are built by `loadIndexReport` exactly as the index report is.
 */
export function compareReports(a: IndexReport, b: IndexReport, generatedAt: Date = new Date()): TrendReport {
  const { shared, leftOut } = sharedNodes(a, b);
  const pooled = b.method.totals === 'pooled';
  const unitsA = new Map(a.units.map((u) => [u.code, u]));
  const unitsB = new Map(b.units.map((u) => [u.code, u]));
  const units: UnitTrend[] = unionBy(b.units, a.units, (u) => u.code).map((code) => {
    const [ua, ub] = [unitsA.get(code), unitsB.get(code)];
    const unit = (ub ?? ua)!;
    const [ra, rb] = [ua?.rank ?? null, ub?.rank ?? null];
    return { code, name: unit.name, group: unit.group, rank: { a: ra, b: rb, change: ra !== null && rb !== null ? ra - rb : null }, ...compareScope(ua, ub, shared, true) };
  });
  const groupsA = new Map(a.groups.map((g) => [g.group, g]));
  const groupsB = new Map(b.groups.map((g) => [g.group, g]));
  const groups: GroupTrend[] = unionBy(b.groups, a.groups, (g) => g.group).map((code) => {
    const [ga, gb] = [groupsA.get(code), groupsB.get(code)];
    return { group: code, label: groupLabel((gb ?? ga)!), ...compareScope(ga, gb, shared, pooled) };
  });
  return {
    a: side(a),
    b: side(b),
    instrumentChanged: a.questionnaire.code !== b.questionnaire.code || a.questionnaire.version !== b.questionnaire.version,
    nodes: shared.map(({ node: n }) => ({ code: n.code, kind: n.kind, title: n.title })),
    leftOut,
    method: { totals: b.method.totals, rankOn: b.method.rankOn, confidence: 0.95, criterion: 'two_proportion_z', aggregate: 'difference_interval' },
    group: b.group,
    minCell: b.minCell,
    generatedAt: generatedAt.toISOString(),
    overall: compareScope(a.overall, b.overall, shared, pooled),
    groups,
    units,
  };
}
