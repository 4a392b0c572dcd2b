import { describe, expect, it } from 'vitest';
import { selectSuppressed, type SuppressionUnit } from '../../src/scoring/select-suppressed.js';

const u = (id: number, responses: number, group = 'G'): SuppressionUnit => ({ id, code: `U${id}`, group, responses });
const unitsOf = (units: SuppressionUnit[]) => [...selectSuppressed(units, 5).units].sort(([a], [b]) => a - b);

describe('selectSuppressed: one group', () => {
  it('withholds units under the minimum, and the smallest published one when the residual is below it', () => {
    expect(unitsOf([u(1, 4), u(2, 5), u(3, 50)])).toEqual([[1, 'low-sample'], [2, 'complementary']]);
    expect(unitsOf([u(1, 3), u(2, 40), u(3, 6), u(4, 6)])).toEqual([[1, 'low-sample'], [3, 'complementary']]);
  });

  it('needs no complementary suppression when the withheld units together reach the minimum', () => {
    expect(unitsOf([u(1, 3), u(2, 2), u(3, 40), u(4, 6)])).toEqual([[1, 'low-sample'], [2, 'low-sample']]);
  });

  it('units without responses need no protection', () => {
    expect(unitsOf([u(1, 0), u(2, 9)])).toEqual([[1, 'low-sample']]);
  });

  it('withholds the overall block (and everything) when all units together are below the minimum', () => {
    const s = selectSuppressed([u(1, 2), u(2, 1)], 5);
    expect(s.overall).toBe(true);
    expect([...s.groups]).toEqual([['G', 'low-sample']]);
  });
});

describe('selectSuppressed: across the hierarchy', () => {
  /** Every residual a reader can derive by subtraction: per published group, and overall minus published groups. */
  function residuals(units: SuppressionUnit[]) {
    const s = selectSuppressed(units, 5);
    const withheld = (members: SuppressionUnit[]) => members.filter((m) => s.units.has(m.id)).reduce((n, m) => n + m.responses, 0);
    const groups = [...new Set(units.map((m) => m.group))];
    const out = groups.filter((g) => !s.groups.has(g)).map((g) => withheld(units.filter((m) => m.group === g)));
    if (!s.overall) out.push(withheld(units.filter((m) => s.groups.has(m.group))));
    return { s, out };
  }

  it('a group below the minimum is protected from overall minus the other groups', () => {
    // Group B holds one response: overall − A − C would be that response unless another group is withheld too.
    const { s, out } = residuals([u(1, 40, 'A'), u(2, 12, 'A'), u(3, 1, 'B'), u(4, 30, 'C'), u(5, 3, 'C')]);
    expect([...s.groups.keys()].sort()).toEqual(['B', 'C']);
    expect(s.units.has(5)).toBe(true);
    for (const r of out) expect(r === 0 || r >= 5).toBe(true);
  });

  it('when no published group withholds anything, the smallest group is withheld with its smallest units', () => {
    const { s, out } = residuals([u(1, 40, 'A'), u(2, 12, 'A'), u(3, 1, 'B'), u(4, 30, 'C'), u(5, 9, 'C')]);
    expect(s.groups.get('C')).toBe('complementary');
    expect(s.units.get(5)).toBe('complementary');
    for (const r of out) expect(r === 0 || r >= 5).toBe(true);
  });

  it('every derivable residual is 0 or at least the minimum, for many random hierarchies', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let trial = 0; trial < 2000; trial++) {
      const units = Array.from({ length: 1 + rand(9) }, (_, i) => u(i + 1, rand(4) === 0 ? rand(30) : rand(6), `G${rand(4)}`));
      const { out } = residuals(units);
      for (const r of out) expect(r === 0 || r >= 5, JSON.stringify(units)).toBe(true);
    }
  });
});
