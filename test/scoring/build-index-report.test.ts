import { describe, expect, it } from 'vitest';
import { buildIndexReport } from '../../src/scoring/build-index-report.js';
import type { CriterionCountRow, ScoringCounts } from '../../src/scoring/count-types.js';
import { indexReportSchema, type UnitReport } from '../../src/scoring/report-schema.js';
import { counts, ONE_FIELD } from '../support/scoring-fixtures.js';

const units = [
  { id: 1, code: 'X1', name: 'UBND xã Một', group: 'xa' },
  { id: 2, code: 'X2', name: 'UBND xã Hai', group: 'xa' },
  { id: 3, code: 'X3', name: 'UBND xã Ba', group: 'xa' },
  { id: 4, code: 'S1', name: 'Sở Nội vụ', group: 'so' },
  { id: 5, code: 'X4', name: 'UBND xã Bốn', group: 'xa' },
  { id: 6, code: 'X5', name: 'UBND xã Năm', group: 'xa' },
];
const crit = (unitId: number, criterionCode: string, satisfied: number, n: number): CriterionCountRow => ({ unitId, criterionCode, ...counts(satisfied, n) });
const everyCriterion = (unitId: number, satisfied: number, n: number) => ['E1.1', 'E1.2', 'E2.1'].map((c) => crit(unitId, c, satisfied, n));

const data: ScoringCounts = {
  responses: [
    { unitId: 1, responses: 10 },
    { unitId: 2, responses: 10 },
    { unitId: 3, responses: 30 },
    { unitId: 4, responses: 10 },
    { unitId: 5, responses: 3 },
    { unitId: 6, responses: 2 }, // with X4: 5 withheld responses, so no complementary suppression
    { unitId: 99, responses: 1000 }, // not a reported unit: ignored
  ],
  criteria: [...everyCriterion(1, 8, 10), ...everyCriterion(2, 8, 10), ...everyCriterion(3, 15, 30), ...everyCriterion(4, 10, 10), ...everyCriterion(5, 3, 3), ...everyCriterion(6, 0, 2), ...everyCriterion(99, 0, 1000)],
  options: [
    { unitId: 1, questionCode: 'gender', option: '__answered', count: 10 },
    { unitId: 1, questionCode: 'gender', option: 'm', count: 4 },
    { unitId: 1, questionCode: 'gender', option: 'f', count: 6 },
    { unitId: 1, questionCode: 'channel', option: '__answered', count: 8 },
    { unitId: 1, questionCode: 'channel', option: 'web', count: 6 },
    { unitId: 1, questionCode: 'channel', option: 'tv', count: 5 },
    { unitId: 5, questionCode: 'gender', option: '__answered', count: 3 },
    { unitId: 5, questionCode: 'gender', option: 'm', count: 3 },
  ],
};
const report = buildIndexReport({ definition: ONE_FIELD, units, counts: data, period: { from: '2025-01-01', to: '2025-03-31' }, generatedAt: new Date('2025-04-01T01:02:03Z') });
const unit = (code: string): UnitReport => report.units.find((u) => u.code === code)!;

describe('buildIndexReport', () => {
  it('matches the report schema and carries questionnaire, period and minimum cell', () => {
    expect(indexReportSchema.parse(report)).toEqual(report);
    expect(report.questionnaire).toEqual({ code: 'fx-one', version: 1, title: 'Bộ câu hỏi thử fx-one', basis: 'Thử nghiệm' });
    expect(report.period).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    expect(report.minCell).toBe(5);
    expect(report.generatedAt).toBe('2025-04-01T01:02:03.000Z');
  });

  it('ranks within groups with shared ranks and lists units by group, rank, name', () => {
    expect(report.units.map((u) => [u.group, u.code, u.index, u.rank])).toEqual([
      ['so', 'S1', 100, 1],
      ['xa', 'X2', 80, 1],
      ['xa', 'X1', 80, 1],
      ['xa', 'X3', 50, 3],
      ['xa', 'X4', null, null],
      ['xa', 'X5', null, null],
    ]);
  });

  it('suppresses a unit under the minimum: flagged, indices null, no counts, no options', () => {
    const x4 = unit('X4');
    expect(x4).toMatchObject({ responses: null, bySource: null, flagged: null, lowSample: true, suppressed: true, index: null, ci: null, rank: null, options: [] });
    const json = JSON.stringify(x4.nodes);
    expect(json).not.toContain('"counts"');
    expect(json).not.toContain('"n"');
    expect(json).not.toMatch(/"index":\d/);
    expect(unit('X1')).toMatchObject({ lowSample: false, suppressed: false });
  });

  it('pools counts over all units for the overall figures (not a mean of unit indices)', () => {
    const pooled = buildIndexReport({ definition: ONE_FIELD, units, counts: data, totals: 'pooled' });
    // satisfied 8+8+15+10+3+0 = 44 of 10+10+30+10+3+2 = 65 on every criterion (withheld units included)
    expect(pooled.overall.responses).toBe(65);
    expect(pooled.overall.index).toBeCloseTo((100 * 44) / 65, 12);
    expect(pooled.overall.nodes[0]!.children![0]!.n).toBe(65);
    expect(pooled.method.totals).toBe('pooled');
  });

  it('by default, totals are the mean of the published unit indices ("trung bình"), per group and overall', () => {
    expect(report.method).toMatchObject({ totals: 'mean_of_units', rankOn: 'shown', mode: 'variant' });
    const published = report.units.filter((u) => !u.suppressed && u.index !== null);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(report.overall.index).toBeCloseTo(mean(published.map((u) => u.index!)), 12);
    // Responses stay a count of respondents, whatever the rule.
    expect(report.overall.responses).toBe(65);
    for (const g of report.groups) {
      const own = published.filter((u) => u.group === g.group);
      if (own.length) expect(g.index).toBeCloseTo(mean(own.map((u) => u.index!)), 12);
      expect(g.responses).toBe(units.filter((u) => u.group === g.group).reduce((s, u) => s + data.responses.find((r) => r.unitId === u.id)!.responses, 0));
    }
  });

  it('reports option shares of non-index questions, multi-choice shares over respondents', () => {
    const gender = unit('X1').options.find((o) => o.code === 'gender')!;
    expect(gender).toMatchObject({ role: 'profile', title: 'Giới tính', answered: 10 });
    expect(gender.shares).toEqual([
      { option: 'm', label: 'Nam', count: 4, share: 40 },
      { option: 'f', label: 'Nữ', count: 6, share: 60 },
    ]);
    const channel = unit('X1').options.find((o) => o.code === 'channel')!;
    expect(channel.shares.map((s) => s.share)).toEqual([75, 62.5, 0]);
    expect(unit('X1').options.map((o) => o.code)).toEqual(['gender', 'channel', 'harass', 'overall']);
    expect(unit('X2').options.find((o) => o.code === 'harass')!.shares).toEqual([
      { option: 'yes', label: 'Có', count: 0, share: null },
      { option: 'no', label: 'Không', count: 0, share: null },
    ]);
    expect(report.overall.options.find((o) => o.code === 'gender')).toMatchObject({ answered: 13 });
  });

  it('withholds a complementary unit when the small units alone are below the minimum', () => {
    const r = buildIndexReport({ definition: ONE_FIELD, units: [units[0]!, units[1]!, units[2]!, units[4]!], counts: data, minCell: 5 });
    // X4 (3 responses) is withheld; 3 < 5, so the smallest other unit (X1, 10, before X2 by code) is withheld too.
    expect(r.units.filter((u) => u.suppressed).map((u) => [u.code, u.lowSample])).toEqual([['X4', true], ['X1', false]]);
    expect(r.units.find((u) => u.code === 'X2')!.rank).toBe(1);
  });

  it('honours a configurable minimum and suppresses the overall figures when the total is under it', () => {
    const r = buildIndexReport({ definition: ONE_FIELD, units: [units[4]!], counts: data, minCell: 4 });
    expect(r.overall).toMatchObject({ responses: null, bySource: null, lowSample: true, suppressed: true, index: null, options: [] });
    expect(r.excluded).toBeNull();
    const r2 = buildIndexReport({ definition: ONE_FIELD, units: [units[4]!], counts: data, minCell: 3 });
    expect(r2.units[0]).toMatchObject({ lowSample: false, index: 100, rank: 1 });
  });

  it('lists a unit without responses as low sample, unranked', () => {
    const r = buildIndexReport({ definition: ONE_FIELD, units: [...units, { id: 7, code: 'X9', name: 'Xã Chín', group: 'xa' }], counts: data });
    expect(r.units.find((u) => u.code === 'X9')).toMatchObject({ responses: null, lowSample: true, suppressed: true, index: null, rank: null });
  });
});

describe('buildIndexReport: sources and quality flags', () => {
  // X1: 6 invited (1 flagged) and 4 open (2 flagged); S1: 10 open, none flagged. Segment = invited(1) | flagged(2).
  const segments = [
    { unitId: 1, segment: 1, responses: 5 },
    { unitId: 1, segment: 3, responses: 1 },
    { unitId: 1, segment: 0, responses: 2 },
    { unitId: 1, segment: 2, responses: 2 },
    { unitId: 4, segment: 0, responses: 10 },
  ];
  const build = (filters: { source: 'all' | 'invited' | 'open'; quality: 'include' | 'exclude_flagged' }) =>
    buildIndexReport({ definition: ONE_FIELD, units, counts: { ...data, segments }, filters, period: { from: null, to: null }, generatedAt: new Date('2025-04-01T00:00:00Z') });

  it('shows per cell how many responses came from invitations and open surveys, and how many were flagged', () => {
    const r = build({ source: 'all', quality: 'include' });
    expect(r.units.find((u) => u.code === 'X1')).toMatchObject({ responses: 10, bySource: { invited: 6, open: 4 }, flagged: 3 });
    expect(r.units.find((u) => u.code === 'S1')).toMatchObject({ responses: 10, bySource: { invited: 0, open: 10 }, flagged: 0 });
    expect(r.overall).toMatchObject({ responses: 20, bySource: { invited: 6, open: 14 }, flagged: 3 });
    expect(r.filters).toEqual({ source: 'all', quality: 'include', test: 'exclude' });
    expect(r.excluded).toEqual({ flagged: 0, otherSource: 0 });
  });

  it('counts one source only, or leaves flagged responses out, and says how many it left out', () => {
    const invited = build({ source: 'invited', quality: 'include' });
    expect(invited.units.find((u) => u.code === 'X1')).toMatchObject({ responses: 6 });
    expect(invited.excluded).toEqual({ flagged: 0, otherSource: 14 });
    const clean = build({ source: 'all', quality: 'exclude_flagged' });
    expect(clean.units.find((u) => u.code === 'X1')).toMatchObject({ responses: 7, bySource: { invited: 5, open: 2 }, flagged: 3 });
    expect(clean.excluded).toEqual({ flagged: 3, otherSource: 0 });
    expect(indexReportSchema.parse(clean)).toEqual(clean);
  });
});
