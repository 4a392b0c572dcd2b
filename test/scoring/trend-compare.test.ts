import { describe, expect, it } from 'vitest';
import { buildIndexReport } from '../../src/scoring/build-index-report.js';
import { differenceChange, seOfMean, twoProportionChange } from '../../src/scoring/change-tests.js';
import { compareReports } from '../../src/scoring/compare-reports.js';
import type { CriterionCountRow, ScoringCounts } from '../../src/scoring/count-types.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import type { IndexReport } from '../../src/scoring/report-schema.js';
import { trendReportSchema, type UnitTrend } from '../../src/scoring/trend-schema.js';
import { fixtureDefinition, ONE_FIELD } from '../support/scoring-fixtures.js';
import { seededRandom as random } from '../../src/core/seeded-random.js';


/** Levels 1–5 with these probabilities. */
type Distribution = [number, number, number, number, number];
const MOSTLY_3: Distribution = [0.05, 0.1, 0.6, 0.15, 0.1]; // 25 % satisfied
const MOSTLY_5: Distribution = [0.02, 0.03, 0.1, 0.25, 0.6]; // 85 % satisfied
const STEADY: Distribution = [0.05, 0.1, 0.2, 0.4, 0.25]; // 65 % satisfied

function draw(next: () => number, d: Distribution): number {
  let u = next();
  for (let level = 0; level < 4; level++) if ((u -= d[level]!) < 0) return level + 1;
  return 5;
}

type UnitPlan = { id: number; responses: number; distribution: Distribution; seed: number };
const UNITS = [
  { id: 1, code: 'X1', name: 'UBND xã Một', group: 'xa' },
  { id: 2, code: 'X2', name: 'UBND xã Hai', group: 'xa' },
  { id: 3, code: 'S1', name: 'Sở Tư pháp', group: 'so' },
  { id: 4, code: 'S2', name: 'Sở Y tế', group: 'so' },
  { id: 5, code: 'S3', name: 'Sở Nội vụ', group: 'so' },
];
const criteriaOf = (def: QuestionnaireDefinition) => {
  const out: string[] = [];
  const walk = (nodes: QuestionnaireDefinition['index']) => nodes.forEach((n) => (n.kind === 'criterion' ? out.push(n.code) : walk(n.children ?? [])));
  walk(def.index);
  return out;
};

/** Responses drawn per unit, every criterion answered independently, counted as the rollups count them. */
function countsOf(def: QuestionnaireDefinition, plans: UnitPlan[]): ScoringCounts {
  const criteria: CriterionCountRow[] = [];
  for (const p of plans) {
    const next = random(p.seed);
    for (const code of criteriaOf(def)) {
      const row: CriterionCountRow = { unitId: p.id, criterionCode: code, c1: 0, c2: 0, c3: 0, c4: 0, c5: 0, na: 0 };
      for (let i = 0; i < p.responses; i++) row[`c${draw(next, p.distribution)}` as 'c1']++;
      criteria.push(row);
    }
  }
  return { responses: plans.map((p) => ({ unitId: p.id, responses: p.responses })), criteria, options: [] };
}

const report = (def: QuestionnaireDefinition, plans: UnitPlan[], name: string, totals: 'mean_of_units' | 'pooled' = 'mean_of_units'): IndexReport =>
  buildIndexReport({ definition: def, units: UNITS, counts: countsOf(def, plans), period: { from: `${name}-01-01`, to: `${name}-12-31`, name }, totals, generatedAt: new Date('2026-12-05T00:00:00Z') });

// X1 moves from mostly 3 to mostly 5 (200 responses a year); X2 stays where it was (100 a
// year, other draws); S1 has 3 responses in 2024 (withheld; S2 too, complementarily).
const A_PLANS: UnitPlan[] = [
  { id: 1, responses: 200, distribution: MOSTLY_3, seed: 11 },
  { id: 2, responses: 100, distribution: STEADY, seed: 12 },
  { id: 3, responses: 3, distribution: STEADY, seed: 13 },
  { id: 4, responses: 40, distribution: STEADY, seed: 14 },
  { id: 5, responses: 40, distribution: STEADY, seed: 15 },
];
const B_PLANS: UnitPlan[] = [
  { id: 1, responses: 200, distribution: MOSTLY_5, seed: 21 },
  { id: 2, responses: 100, distribution: STEADY, seed: 22 },
  { id: 3, responses: 30, distribution: STEADY, seed: 23 },
  { id: 4, responses: 40, distribution: STEADY, seed: 24 },
  { id: 5, responses: 40, distribution: STEADY, seed: 25 },
];
const [trendA, trendB] = [report(ONE_FIELD, A_PLANS, '2024'), report(ONE_FIELD, B_PLANS, '2025')];
const trend = compareReports(trendA, trendB, new Date('2026-12-05T00:00:00Z'));
const unit = (code: string): UnitTrend => trend.units.find((u) => u.code === code)!;

describe('compareReports', () => {
  it('matches the trend schema and names both sides', () => {
    expect(trendReportSchema.parse(trend)).toEqual(trend);
    expect(trend.a).toEqual({ name: '2024', from: '2024-01-01', to: '2024-12-31', questionnaire: { code: 'fx-one', version: 1, title: 'Bộ câu hỏi thử fx-one' } });
    expect(trend.instrumentChanged).toBe(false);
    expect(trend.leftOut).toEqual([]);
    expect(trend.nodes).toEqual([
      { code: 'E1', kind: 'element', title: 'Yếu tố E1' },
      { code: 'E1.1', kind: 'criterion', title: 'Tiêu chí E1.1' },
      { code: 'E1.2', kind: 'criterion', title: 'Tiêu chí E1.2' },
      { code: 'E2', kind: 'element', title: 'Yếu tố E2' },
      { code: 'E2.1', kind: 'criterion', title: 'Tiêu chí E2.1' },
    ]);
    expect(unit('X1').nodes.map((n) => n.code)).toEqual(['E1', 'E1.1', 'E1.2', 'E2', 'E2.1']);
  });

  it('flags a change built to be significant at every level (mostly 3 → mostly 5, 200 responses a side)', () => {
    const x1 = unit('X1');
    expect(x1.overall.significant).toBe(true);
    expect(x1.overall.change!).toBeGreaterThan(45);
    for (const n of x1.nodes) expect(n.significant, n.code).toBe(true);
    // Criteria are tested as proportions of the unit's own answers: the pooled two-proportion z statistic.
    const e11 = x1.nodes.find((n) => n.code === 'E1.1')!;
    expect(e11).toEqual({ code: 'E1.1', ...twoProportionChange(trendA.units.find((u) => u.code === 'X1')!.nodes[0]!.children![0]!.counts, trendB.units.find((u) => u.code === 'X1')!.nodes[0]!.children![0]!.counts) });
    expect(x1.responses).toEqual({ a: 200, b: 200 });
  });

  it('does not flag a change built to be noise (same distribution, other draws, 100 responses a side)', () => {
    const x2 = unit('X2');
    expect(x2.overall.change).not.toBe(0);
    expect(x2.overall.significant).toBe(false);
    for (const n of x2.nodes) expect(n.significant, n.code).toBe(false);
  });

  it('matches nodes by code, whatever order a scope lists them in', () => {
    const reordered = structuredClone(trendB);
    reordered.units.find((u) => u.code === 'X1')!.nodes.reverse();
    expect(compareReports(trendA, reordered, new Date('2026-12-05T00:00:00Z'))).toEqual(trend);
  });

  it('ranks change within the group: X1 moves up past X2', () => {
    expect(unit('X1').rank).toEqual({ a: 2, b: 1, change: 1 });
    expect(unit('X2').rank).toEqual({ a: 1, b: 2, change: -1 });
  });

  it('compares nothing of a unit withheld on either side', () => {
    const s1 = unit('S1');
    expect(s1.suppressed).toBe(true);
    expect(s1.responses.a).toBeNull();
    expect(s1.overall).toMatchObject({ a: null, b: null, change: null, significant: null });
    for (const n of s1.nodes) expect(n).toMatchObject({ change: null, significant: null, se: null });
    expect(s1.rank.change).toBeNull();
  });

  it('tests criteria of mean-of-units totals by the interval of the difference, of pooled totals as proportions', () => {
    const groupE11 = (t: typeof trend, r: IndexReport) => [t.groups.find((g) => g.group === 'xa')!.nodes[1]!, r.groups.find((g) => g.group === 'xa')!.nodes[0]!.children![0]!] as const;
    const [meanChange, meanB] = groupE11(trend, trendB);
    expect(meanChange).toEqual({ code: 'E1.1', ...differenceChange(trendA.groups.find((g) => g.group === 'xa')!.nodes[0]!.children![0]!, meanB) });
    const [pa, pb] = [report(ONE_FIELD, A_PLANS, '2024', 'pooled'), report(ONE_FIELD, B_PLANS, '2025', 'pooled')];
    const pooled = compareReports(pa, pb);
    const [pooledChange, pooledB] = groupE11(pooled, pb);
    expect(pooledChange).toEqual({ code: 'E1.1', ...twoProportionChange(pa.groups.find((g) => g.group === 'xa')!.nodes[0]!.children![0]!.counts, pooledB.counts) });
    expect(pooledChange.significant).toBe(true);
    expect(pooled.method.totals).toBe('pooled');
  });

  it('compares a changed instrument on the node codes both versions have, and lists the others', () => {
    const v2 = { ...fixtureDefinition('fx-one', [{ code: 'E1', children: [{ code: 'E1.1' }, { code: 'E1.2' }] }, { code: 'E3', children: [{ code: 'E3.1' }] }]), version: 2 };
    const changed = compareReports(report(ONE_FIELD, A_PLANS, '2024'), report(v2, B_PLANS, '2025'));
    expect(changed.instrumentChanged).toBe(true);
    expect(changed.b.questionnaire.version).toBe(2);
    expect(changed.leftOut.map((n) => `${n.onlyIn}:${n.code}`)).toEqual(['a:E2', 'a:E2.1', 'b:E3', 'b:E3.1']);
    expect(changed.units.find((u) => u.code === 'X1')!.nodes.map((n) => n.code)).toEqual(['E1', 'E1.1', 'E1.2']);
    expect(changed.units.find((u) => u.code === 'X1')!.overall.significant).toBe(true);
  });
});

describe('the change tests', () => {
  const counts = (satisfied: number, n: number) => ({ '1': 0, '2': n - satisfied, '3': 0, '4': satisfied, '5': 0, na: 0 });

  it('two proportions: the pooled z statistic, by hand', () => {
    // 50/100 → 65/100: p̄ = 0.575, se = √(0.575·0.425·0.02) = 0.069912 → z = 0.15 / 0.069912 = 2.1455.
    const c = twoProportionChange(counts(50, 100), counts(65, 100));
    expect(c.change).toBeCloseTo(15, 10);
    expect(c.se).toBeCloseTo(6.9912, 3);
    expect(c.change! / c.se!).toBeCloseTo(2.1455, 3);
    expect(c.significant).toBe(true);
    expect(twoProportionChange(counts(50, 100), counts(60, 100)).significant).toBe(false);
    expect(twoProportionChange(counts(10, 10), counts(10, 10))).toMatchObject({ change: 0, se: 0, significant: false });
    expect(twoProportionChange(counts(0, 0), counts(5, 10))).toMatchObject({ a: null, change: null, significant: null });
  });

  it('difference interval: standard errors recovered from the published (clamped) intervals', () => {
    expect(seOfMean(50, { low: 40.2, high: 59.8 })).toBeCloseTo(9.8 / 1.959963984540054, 10);
    expect(seOfMean(98, { low: 94, high: 100 })).toBeCloseTo(4 / 1.959963984540054, 10);
    expect(seOfMean(50, { low: 0, high: 100 })).toBeNull();
    const c = differenceChange({ index: 50, ci: { low: 40.2, high: 59.8 } }, { index: 65, ci: { low: 55.2, high: 74.8 } });
    expect(c.se).toBeCloseTo(Math.SQRT2 * 5, 3);
    expect(c.significant).toBe(true);
    expect(differenceChange({ index: 50, ci: { low: 0, high: 100 } }, { index: 99, ci: { low: 98, high: 100 } }).significant).toBe(false);
  });

  it('is calibrated: same distribution, 400 pairs of 100 answers, about 5 % flagged; a real 15-point move, mostly flagged', () => {
    const next = random(7);
    const satisfied = (p: number, n: number) => Array.from({ length: n }, () => next() < p).filter(Boolean).length;
    let noise = 0;
    let found = 0;
    for (let i = 0; i < 400; i++) {
      if (twoProportionChange(counts(satisfied(0.65, 100), 100), counts(satisfied(0.65, 100), 100)).significant) noise++;
      if (twoProportionChange(counts(satisfied(0.65, 200), 200), counts(satisfied(0.8, 200), 200)).significant) found++;
    }
    expect(noise / 400).toBeGreaterThan(0.01);
    expect(noise / 400).toBeLessThan(0.09);
    expect(found / 400).toBeGreaterThan(0.8);
  });
});
