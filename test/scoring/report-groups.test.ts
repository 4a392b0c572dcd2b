import { describe, expect, it } from 'vitest';
import { buildIndexReport } from '../../src/scoring/build-index-report.js';
import type { CriterionCountRow } from '../../src/scoring/count-types.js';
import { indexReportSchema } from '../../src/scoring/report-schema.js';
import { romanNumeral } from '../../src/scoring/roman-numeral.js';
import { counts, ONE_FIELD } from '../support/scoring-fixtures.js';

const units = [
  { id: 1, code: 'X1', name: 'UBND xã Một', group: 'xa' },
  { id: 2, code: 'S1', name: 'Sở Tư pháp', group: 'so' },
  { id: 3, code: 'C1', name: 'Chi nhánh Một', group: 'chi-nhanh' },
  { id: 4, code: 'K1', name: 'Đơn vị khác', group: 'khac' },
];
// Satisfied out of 30 on every criterion: X1 2/3 + a hair (shows 66.67 as S1 does), S1 2/3, C1 all, K1 1/3.
const satisfied: Record<number, [number, number]> = { 1: [20000001, 30000000], 2: [20, 30], 3: [30, 30], 4: [10, 30] };
const criteria: CriterionCountRow[] = Object.entries(satisfied).flatMap(([id, [s, n]]) => ['E1.1', 'E1.2', 'E2.1'].map((c) => ({ unitId: Number(id), criterionCode: c, ...counts(s, n) })));
const data = { responses: units.map((u) => ({ unitId: u.id, responses: 30 })), criteria, options: [] };
const groups = [
  { code: 'so', label: 'Sở, ban, ngành', order: 1, rankSeparately: false },
  { code: 'xa', label: 'UBND cấp xã', order: 2, rankSeparately: false },
  { code: 'chi-nhanh', label: 'Chi nhánh Văn phòng đăng ký đất đai', order: 3, rankSeparately: true },
];

describe('report groups, sections and province-wide ranks', () => {
  it('numbers sections in Roman numerals', () => {
    expect([1, 2, 3, 4, 9, 14, 40, 1994].map(romanNumeral)).toEqual(['I', 'II', 'III', 'IV', 'IX', 'XIV', 'XL', 'MCMXCIV']);
    expect(() => romanNumeral(0)).toThrow(RangeError);
  });

  it('lists configured groups by order, unconfigured ones (order 0, label = code) first, and ranks province-wide without separate groups', () => {
    const report = buildIndexReport({ definition: ONE_FIELD, units, groups, counts: data, province: 'tỉnh Quảng Nam' });
    expect(indexReportSchema.parse(report)).toEqual(report);
    expect(report.province).toBe('tỉnh Quảng Nam');
    expect(report.groups.map((g) => [g.section, g.group, g.label, g.order, g.rankSeparately])).toEqual([
      ['I', 'khac', 'khac', 0, false],
      ['II', 'so', 'Sở, ban, ngành', 1, false],
      ['III', 'xa', 'UBND cấp xã', 2, false],
      ['IV', 'chi-nhanh', 'Chi nhánh Văn phòng đăng ký đất đai', 3, true],
    ]);
    // X1 and S1 show the same 2 decimals: they tie province-wide (rank=shown), and not with rank=full.
    expect(report.units.map((u) => [u.code, u.rank, u.overallRank])).toEqual([
      ['K1', 1, 3],
      ['S1', 1, 1],
      ['X1', 1, 1],
      ['C1', 1, null],
    ]);
    const full = buildIndexReport({ definition: ONE_FIELD, units, groups, counts: data, rankOn: 'full' });
    expect(full.units.map((u) => [u.code, u.overallRank])).toEqual([['K1', 3], ['S1', 2], ['X1', 1], ['C1', null]]);
    expect(full.province).toBeNull();
  });

  it('reads a report made before groups were data with the documented defaults', () => {
    const report = buildIndexReport({ definition: ONE_FIELD, units, groups, counts: data });
    const legacy = JSON.parse(JSON.stringify(report));
    delete legacy.province;
    for (const g of legacy.groups) for (const k of ['label', 'order', 'section', 'rankSeparately']) delete g[k];
    for (const u of legacy.units) delete u.overallRank;
    const parsed = indexReportSchema.parse(legacy);
    expect(parsed.province).toBeNull();
    expect(parsed.groups.map((g) => [g.section, g.group, g.label, g.order, g.rankSeparately])).toEqual([
      ['I', 'khac', 'khac', 0, false],
      ['II', 'so', 'so', 0, false],
      ['III', 'xa', 'xa', 0, false],
      ['IV', 'chi-nhanh', 'chi-nhanh', 0, false],
    ]);
    expect(parsed.units.every((u) => u.overallRank === null)).toBe(true);
  });
});
