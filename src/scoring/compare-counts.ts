import type { ScoringCounts } from './count-types.js';

export type CountDifference = {
  kind: 'responses' | 'criterion' | 'option';
  unitId: number;
  /** Criterion code, or "question=option"; empty for response counts. For a monthly rollup row, followed by " [month YYYY-MM]". */
  key: string;
  /** Set for a monthly rollup row: the month's first day, YYYY-MM-DD. */
  month?: string;
  /** The rollup segment compared (see `segmentOf`); set by `verifyRollups`. */
  segment?: number;
  /** The counts on each side; `null` where that side has no (non-zero) row. */
  rollup: Record<string, number> | null;
  raw: Record<string, number> | null;
};

type Keyed = Map<string, { kind: CountDifference['kind']; unitId: number; key: string; values: Record<string, number> }>;

function index(counts: ScoringCounts): Keyed {
  const out: Keyed = new Map();
  const put = (kind: CountDifference['kind'], unitId: number, key: string, values: Record<string, number>) => {
    if (Object.values(values).every((v) => v === 0)) return; // an all-zero row equals no row
    out.set(`${kind}\u0000${unitId}\u0000${key}`, { kind, unitId, key, values });
  };
  for (const r of counts.responses) put('responses', r.unitId, '', { responses: r.responses });
  for (const r of counts.criteria) put('criterion', r.unitId, r.criterionCode, { c1: r.c1, c2: r.c2, c3: r.c3, c4: r.c4, c5: r.c5, na: r.na });
  for (const r of counts.options) put('option', r.unitId, `${r.questionCode}=${r.option}`, { count: r.count });
  return out;
}

const same = (a: Record<string, number>, b: Record<string, number>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

/** Every count that differs between the two paths; empty means they agree exactly. Sorted by kind, unit, key. */
export function compareCounts(rollup: ScoringCounts, raw: ScoringCounts): CountDifference[] {
  const a = index(rollup);
  const b = index(raw);
  const diffs: CountDifference[] = [];
  for (const id of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(id);
    const y = b.get(id);
    if (x && y && same(x.values, y.values)) continue;
    const head = (x ?? y)!;
    diffs.push({ kind: head.kind, unitId: head.unitId, key: head.key, rollup: x?.values ?? null, raw: y?.values ?? null });
  }
  const order = { responses: 0, criterion: 1, option: 2 };
  return diffs.sort((p, q) => order[p.kind] - order[q.kind] || p.unitId - q.unitId || (p.key < q.key ? -1 : p.key > q.key ? 1 : 0));
}
