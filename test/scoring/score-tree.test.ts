import { describe, expect, it } from 'vitest';
import type { LikertCounts } from '../../src/scoring/count-types.js';
import type { ReportNode } from '../../src/scoring/report-schema.js';
import { scoreTree, withheldTree } from '../../src/scoring/score-tree.js';
import { wilsonInterval, Z_95 } from '../../src/scoring/wilson-interval.js';
import { counts, fixtureDefinition, ONE_FIELD, TWO_FIELDS, TWO_FIELDS_POOLED } from '../support/scoring-fixtures.js';

const lookup = (m: Record<string, LikertCounts>) => (code: string) => m[code];
const search = (nodes: ReportNode[], code: string): ReportNode | undefined => {
  for (const n of nodes) {
    const hit = n.code === code ? n : n.children && search(n.children, code);
    if (hit) return hit;
  }
  return undefined;
};
const find = (nodes: ReportNode[], code: string): ReportNode => {
  const hit = search(nodes, code);
  if (!hit) throw new Error(`no node ${code}`);
  return hit;
};

describe('scoreTree: worked examples from published figures', () => {
  it('criteria 86 / 80 / 83 give element 83.00', () => {
    const def = fixtureDefinition('fx-3', [{ code: 'E', children: [{ code: 'c1' }, { code: 'c2' }, { code: 'c3' }] }]);
    const t = scoreTree(def.index, lookup({ c1: counts(43, 50), c2: counts(40, 50), c3: counts(83, 100) }));
    expect(find(t.nodes, 'c1').index).toBe(86);
    expect(find(t.nodes, 'c2').index).toBe(80);
    expect(find(t.nodes, 'c3').index).toBe(83);
    expect(find(t.nodes, 'E').index!.toFixed(2)).toBe('83.00');
    expect(t.index).toBeCloseTo(83, 12);
  });

  it('policy 86.51 and services 86.49 give SIPAS 86.50 (mean of fields, not of elements)', () => {
    // A = mean(86.02, 87.00) = 86.51; B = mean(86.49) = 86.49. Mean of the three elements would be 86.503….
    const def = fixtureDefinition('fx-hn', [
      { code: 'A', children: [{ code: 'A1', children: [{ code: 'a1' }] }, { code: 'A2', children: [{ code: 'a2' }] }] },
      { code: 'B', children: [{ code: 'B1', children: [{ code: 'b1' }] }] },
    ]);
    const t = scoreTree(def.index, lookup({ a1: counts(8602, 10000), a2: counts(87, 100), b1: counts(8649, 10000) }));
    expect(find(t.nodes, 'A').index).toBeCloseTo(86.51, 12);
    expect(find(t.nodes, 'B').index).toBeCloseTo(86.49, 12);
    expect(t.index).toBeCloseTo(86.5, 12);
    expect(t.index!.toFixed(2)).toBe('86.50');
  });
});

describe('scoreTree: hand-computed cases', () => {
  it('counts only 4 and 5 as satisfied, excludes N/A from the denominator, reports n and counts', () => {
    const t = scoreTree(ONE_FIELD.index, lookup({ 'E1.1': { c1: 1, c2: 1, c3: 2, c4: 3, c5: 1, na: 6 } }));
    const c = find(t.nodes, 'E1.1');
    expect(c.index).toBe(50); // 4 of 8 valid: not 6 of 8 (level 3 is neutral), not 4 of 14 (N/A)
    expect(c.n).toBe(8);
    expect(c.counts).toEqual({ '1': 1, '2': 1, '3': 2, '4': 3, '5': 1, na: 6 });
  });

  it('a criterion with only N/A (or no answers) is null and the means skip it', () => {
    const t = scoreTree(ONE_FIELD.index, lookup({ 'E1.1': counts(4, 5), 'E1.2': { c1: 0, c2: 0, c3: 0, c4: 0, c5: 0, na: 7 } }));
    expect(find(t.nodes, 'E1.2').index).toBeNull();
    expect(find(t.nodes, 'E1.2').ci).toBeNull();
    expect(find(t.nodes, 'E1').index).toBe(80); // not (80 + 0) / 2
    expect(find(t.nodes, 'E2').index).toBeNull(); // E2.1 has no counts at all
    expect(t.index).toBe(80); // overall skips the null element
  });

  it('everything empty gives null everywhere', () => {
    const t = scoreTree(TWO_FIELDS.index, () => undefined);
    expect(t.index).toBeNull();
    expect(t.ci).toBeNull();
    expect(find(t.nodes, 'A').index).toBeNull();
    expect(find(t.nodes, 'A1.1').n).toBe(0);
  });

  it('one-field instrument: overall is the mean of elements, not of criteria', () => {
    const t = scoreTree(ONE_FIELD.index, lookup({ 'E1.1': counts(10, 10), 'E1.2': counts(5, 10), 'E2.1': counts(6, 10) }));
    expect(t.nodes.map((n) => n.kind)).toEqual(['element', 'element']);
    expect(find(t.nodes, 'E1').index).toBe(75);
    expect(find(t.nodes, 'E2').index).toBe(60);
    expect(t.index).toBe(67.5); // the mean of the three criteria would be 70
  });

  it('two-field instrument: field = mean of elements, overall = mean of fields', () => {
    const t = scoreTree(
      TWO_FIELDS.index,
      lookup({ 'A1.1': counts(9, 10), 'A1.2': counts(7, 10), 'A2.1': counts(6, 10), 'B1.1': counts(5, 10), 'B2.1': counts(10, 10), 'B2.2': counts(0, 10) }),
    );
    expect(find(t.nodes, 'A1').index).toBe(80);
    expect(find(t.nodes, 'A').index).toBe(70);
    expect(find(t.nodes, 'B2').index).toBe(50);
    expect(find(t.nodes, 'B').index).toBe(50);
    expect(t.index).toBe(60);
    expect([find(t.nodes, 'A1').n, find(t.nodes, 'A').n, find(t.nodes, 'B').n]).toEqual([20, 30, 30]); // ratings, summed
    expect(find(t.nodes, 'A').counts).toBeUndefined();
  });
});

describe('scoreTree: intervals', () => {
  it('criteria carry the Wilson interval', () => {
    const t = scoreTree(ONE_FIELD.index, lookup({ 'E1.1': counts(9, 10) }));
    expect(find(t.nodes, 'E1.1').ci).toEqual(wilsonInterval(9, 10));
  });

  it('means use Σ var / k² with s.e. = Wilson half-width / z (≈ Wald for large n)', () => {
    const t = scoreTree(ONE_FIELD.index, lookup({ 'E1.1': counts(5000, 10000), 'E1.2': counts(5000, 10000) }));
    const e1 = find(t.nodes, 'E1');
    // Wald: s.e. of each = 0.5 %-points; of the mean = √2 · 0.5 / 2.
    const half = Z_95 * (Math.SQRT2 * 0.5) / 2;
    expect(e1.ci!.low).toBeCloseTo(50 - half, 3);
    expect(e1.ci!.high).toBeCloseTo(50 + half, 3);
    expect(t.ci!.high - t.ci!.low).toBeCloseTo(e1.ci!.high - e1.ci!.low, 12); // E2 is null: overall = E1 alone
  });

  it('an element of all-satisfied criteria has a non-degenerate interval clamped at 100', () => {
    const t = scoreTree(ONE_FIELD.index, lookup({ 'E1.1': counts(20, 20), 'E1.2': counts(20, 20) }));
    const ci = find(t.nodes, 'E1').ci!;
    expect(ci.high).toBe(100);
    expect(ci.low).toBeLessThan(100);
    expect(ci.low).toBeGreaterThan(80);
  });
});

describe('withheldTree', () => {
  it('keeps the shape with null figures and no counts', () => {
    const nodes = withheldTree(TWO_FIELDS.index);
    const c = find(nodes, 'B2.2');
    expect(c).toEqual({ code: 'B2.2', kind: 'criterion', title: 'Tiêu chí B2.2', index: null, ci: null });
    expect(find(nodes, 'A').children).toHaveLength(2);
  });
});

describe('scoreTree: aggregation as the definition declares it', () => {
  // Criteria A1.1 = 100, A1.2 = 100, A2.1 = 40 (field A); B1.1 = 20, B2.1 = 80, B2.2 = 80 (field B).
  const byCode: Record<string, LikertCounts> = { 'A1.1': counts(10, 10), 'A1.2': counts(10, 10), 'A2.1': counts(4, 10), 'B1.1': counts(2, 10), 'B2.1': counts(8, 10), 'B2.2': counts(8, 10) };
  const of = (code: string) => byCode[code];

  it('the mean of children: elements, then fields, then the overall index', () => {
    const t = scoreTree(TWO_FIELDS.index, of);
    expect(t.nodes.map((f) => f.index)).toEqual([70, 50]); // A: (100 + 40) / 2; B: (20 + 80) / 2
    expect(t.index).toBeCloseTo(60, 12);
  });

  it('the mean of all criteria below: fields and overall weigh each criterion once', () => {
    const t = scoreTree(TWO_FIELDS_POOLED.index, of, TWO_FIELDS_POOLED.aggregation);
    expect(t.nodes[0]!.index).toBeCloseTo(80, 12); // (100 + 100 + 40) / 3
    expect(t.nodes[1]!.index).toBeCloseTo(60, 12); // (20 + 80 + 80) / 3
    expect(t.index).toBeCloseTo(70, 12); // six criteria
    // Elements are the mean of their criteria under either rule.
    expect(t.nodes[0]!.children!.map((e) => e.index)).toEqual([100, 40]);
  });
});
