import { describe, expect, it } from 'vitest';
import { selectSuppressed } from '../../src/scoring/select-suppressed.js';
import { OVERALL, suppressProcedureTable, type ProcedureCell, type ScopeKey } from '../../src/scoring/suppress-procedure-table.js';

const MIN = 5;
type Unit = { id: number; group: string };
type Table = { units: Unit[]; fieldOf: Record<string, string>; cells: ProcedureCell[] };

function decide(t: Table) {
  const perUnit = (id: number) => t.cells.filter((c) => c.unitId === id).reduce((n, c) => n + c.responses, 0);
  const unitDecision = selectSuppressed(t.units.map((u) => ({ id: u.id, code: `U${u.id}`, group: u.group, responses: perUnit(u.id) })), MIN);
  const fieldOf = (p: string) => t.fieldOf[p] ?? '';
  const table = suppressProcedureTable({ cells: t.cells, fieldOf, withheldUnits: new Set(unitDecision.units.keys()), overallWithheld: unitDecision.overall, minCell: MIN });
  return { unitDecision, table, fieldOf };
}

/**
 * Every figure a reader gets from the index report and every breakdown, as the set of
 * (unit, procedure) cells it sums; and what subtraction leaves of each: the published sum
 * minus its published single cells, minus any residual nested in it, minus all disjoint
 * nested residuals at once. Returns the sizes of the residuals that single out 1…MIN−1
 * responses.
 */
function leaks(t: Table): { what: string; responses: number }[] {
  const { unitDecision, table, fieldOf } = decide(t);
  const atom = (c: ProcedureCell) => `${c.unitId}:${c.procedure}`;
  const size = new Map(t.cells.map((c) => [atom(c), c.responses]));
  const groupOf = new Map(t.units.map((u) => [u.id, u.group]));
  const sums: { what: string; atoms: Set<string> }[] = [];
  const of = (pred: (c: ProcedureCell) => boolean) => new Set(t.cells.filter(pred).map(atom));
  if (!unitDecision.overall) sums.push({ what: 'overall', atoms: of(() => true) });
  for (const g of new Set(t.units.map((u) => u.group))) if (!unitDecision.groups.has(g)) sums.push({ what: `group ${g}`, atoms: of((c) => groupOf.get(c.unitId) === g) });
  const scopes: ScopeKey[] = [OVERALL, ...t.units.map((u) => u.id)];
  const inScope = (s: ScopeKey) => (c: ProcedureCell) => s === OVERALL || c.unitId === s;
  for (const s of scopes) {
    if (!table.total(s)) sums.push({ what: `${s} total`, atoms: of(inScope(s)) });
    for (const p of new Set(t.cells.map((c) => c.procedure))) if (!table.procedure(s, p)) sums.push({ what: `${s} procedure ${p}`, atoms: of((c) => inScope(s)(c) && c.procedure === p) });
    for (const f of new Set(t.cells.map((c) => fieldOf(c.procedure)))) if (!table.field(s, f)) sums.push({ what: `${s} field ${f}`, atoms: of((c) => inScope(s)(c) && fieldOf(c.procedure) === f) });
  }
  const published = new Set(t.cells.filter((c) => !table.procedure(c.unitId, c.procedure) && !unitDecision.units.has(c.unitId)).map(atom));
  const residuals = sums.map((s) => ({ what: s.what, atoms: new Set([...s.atoms].filter((a) => !published.has(a))) })).filter((r) => r.atoms.size > 0);
  const total = (atoms: Iterable<string>) => [...atoms].reduce((n, a) => n + size.get(a)!, 0);
  const subset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));
  const out: { what: string; responses: number }[] = [];
  const check = (what: string, atoms: Set<string>) => {
    const n = total(atoms);
    if (n > 0 && n < MIN) out.push({ what, responses: n });
  };
  for (const r of residuals) {
    check(r.what, r.atoms);
    const nested = residuals.filter((b) => b !== r && b.atoms.size < r.atoms.size && subset(b.atoms, r.atoms));
    for (const b of nested) check(`${r.what} − ${b.what}`, new Set([...r.atoms].filter((a) => !b.atoms.has(a))));
    const taken = new Set<string>();
    for (const b of nested.sort((x, y) => y.atoms.size - x.atoms.size)) if ([...b.atoms].every((a) => !taken.has(a))) for (const a of b.atoms) taken.add(a);
    check(`${r.what} − disjoint nested`, new Set([...r.atoms].filter((a) => !taken.has(a))));
  }
  return out;
}

const cell = (unitId: number, procedure: string, responses: number): ProcedureCell => ({ unitId, procedure, responses });

describe('suppressProcedureTable', () => {
  it('withholds a procedure under the minimum and the next smallest with it, within a unit', () => {
    const t: Table = { units: [{ id: 1, group: 'G' }], fieldOf: { A: 'F1', B: 'F1', C: 'F2' }, cells: [cell(1, 'A', 3), cell(1, 'B', 8), cell(1, 'C', 20)] };
    const { table } = decide(t);
    expect(table.total(1)).toBe(false);
    expect(table.procedure(1, 'A')).toBe(true);
    expect(table.procedure(1, 'B')).toBe(true);
    expect(table.procedure(1, 'C')).toBe(false);
    expect(leaks(t)).toEqual([]);
  });

  it('a procedure done by one person at a withheld unit cannot be recovered from the overall breakdown', () => {
    // H1 (group H) holds one response (procedure A); A's overall cell minus the other units' A cells would be that response.
    const t: Table = {
      units: [{ id: 1, group: 'S' }, { id: 2, group: 'S' }, { id: 3, group: 'H' }, { id: 4, group: 'X' }, { id: 5, group: 'X' }],
      fieldOf: { A: 'F1', B: 'F1', C: 'F2' },
      cells: [cell(1, 'A', 12), cell(1, 'C', 9), cell(2, 'B', 7), cell(2, 'C', 10), cell(3, 'A', 1), cell(4, 'A', 6), cell(4, 'C', 30), cell(5, 'B', 8), cell(5, 'C', 11)],
    };
    const { table, unitDecision } = decide(t);
    expect(unitDecision.units.get(3)).toBe('low-sample');
    expect(table.total(3)).toBe(true);
    // The index report's complementary unit (2) did no A: A's published cells must give way themselves.
    expect(unitDecision.units.get(2)).toBe('complementary');
    expect(table.procedure(OVERALL, 'A') || (table.procedure(1, 'A') && table.procedure(4, 'A'))).toBe(true);
    expect(leaks(t)).toEqual([]);
  });

  it('no residual of any published sum, or of sums nested in one another, singles out 1…4 responses, over many random tables', () => {
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const procedures = ['A', 'B', 'C', 'D', 'E', 'F'];
    for (let trial = 0; trial < 600; trial++) {
      const units = Array.from({ length: 1 + rand(6) }, (_, i) => ({ id: i + 1, group: `G${rand(3)}` }));
      const fieldOf = Object.fromEntries(procedures.filter(() => rand(4) > 0).map((p) => [p, `F${rand(3)}`]));
      const cells = units.flatMap((u) => procedures.filter(() => rand(2) === 0).map((p) => cell(u.id, p, rand(3) === 0 ? 1 + rand(4) : 1 + rand(25))));
      const t = { units, fieldOf, cells };
      expect(leaks(t), JSON.stringify(t)).toEqual([]);
    }
  });
});
