import { describe, expect, it } from 'vitest';
import { latestBuiltinQuestionnaire } from '../../src/questionnaire/builtin-questionnaires.js';
import { buildIndexReport } from '../../src/scoring/build-index-report.js';
import type { ScoringCounts } from '../../src/scoring/count-types.js';
import { criterionBindings } from '../../src/scoring/index-bindings.js';
import { rankUnits, shownIndex } from '../../src/scoring/rank-units.js';

// Published SIPAS figures of the 2023–2026 method, reproduced by the pure scorer from
// constructed answers. Sources (Ministry of Home Affairs announcements of the SIPAS results):
// - national SIPAS 2024: policy field 83.84 %, public services 84.09 %, SIPAS 83.94 %;
// - Hà Nội SIPAS 2023: 83.46 % and 83.72 %, SIPAS 83.57 %;
// - Hà Nội SIPAS 2024: 86.51 % and 86.49 %, SIPAS 86.50 %.
// The overall index is the mean of the 39 criterion indices, (23 × policy + 16 × service) / 39,
// not the mean of the two fields (which would give 83.97 and 83.59 for the first two).
const SIPAS_2024 = latestBuiltinQuestionnaire('sipas-2024');
const ANSWERS = 10_000;

/** Every criterion of a field answered so that its index is exactly `percent` (satisfied = levels 4–5). */
function countsWith(policy: number, service: number): ScoringCounts {
  const criteria = criterionBindings(SIPAS_2024).map(({ criterionCode }) => {
    const satisfied = Math.round(((criterionCode.startsWith('CS') ? policy : service) / 100) * ANSWERS);
    return { unitId: 1, criterionCode, c1: 0, c2: 0, c3: ANSWERS - satisfied, c4: satisfied, c5: 0, na: 0 };
  });
  return { responses: [{ unitId: 1, responses: ANSWERS }], criteria, options: [] };
}

function overall(policy: number, service: number, rule?: 'mean_of_children') {
  const definition = rule ? { ...SIPAS_2024, aggregation: { ...SIPAS_2024.aggregation!, overall: { ...SIPAS_2024.aggregation!.overall, rule } } } : SIPAS_2024;
  const report = buildIndexReport({ definition, units: [{ id: 1, code: 'VN', name: 'Toàn quốc', group: 'tinh' }], counts: countsWith(policy, service) });
  const unit = report.units[0]!;
  return { index: unit.index!, fields: unit.nodes.map((n) => shownIndex(n.index!)), report };
}

describe('the 2023–2026 overall index reproduces published figures', () => {
  it('national 2024: 83.84 and 84.09 give 83.94 (the mean of the two fields would give 83.97)', () => {
    const r = overall(83.84, 84.09);
    expect(r.fields).toEqual([83.84, 84.09]);
    expect(r.index).toBeCloseTo((23 * 83.84 + 16 * 84.09) / 39, 10);
    expect(shownIndex(r.index)).toBe(83.94);
    expect(shownIndex(overall(83.84, 84.09, 'mean_of_children').index)).toBe(83.97);
  });

  it('Hà Nội 2023: 83.46 and 83.72 give 83.57 (not 83.59)', () => {
    expect(shownIndex(overall(83.46, 83.72).index)).toBe(83.57);
    expect(shownIndex(overall(83.46, 83.72, 'mean_of_children').index)).toBe(83.59);
  });

  it('Hà Nội 2024: 86.51 and 86.49 give 86.50 (both rules agree here)', () => {
    expect(shownIndex(overall(86.51, 86.49).index)).toBe(86.5);
    expect(shownIndex(overall(86.51, 86.49, 'mean_of_children').index)).toBe(86.5);
  });

  it('the report says which rule, mode and totals produced it', () => {
    const { report } = overall(83.84, 84.09);
    expect(report.method).toMatchObject({
      mode: 'moha-comparable',
      aggregation: { overall: { rule: 'mean_of_criteria', evidence: 'published_figures' }, field: { rule: 'mean_of_criteria' } },
      totals: 'mean_of_units',
      rankOn: 'shown',
    });
  });
});

describe('ranks with ties', () => {
  // 2023 provincial ranking: Thái Nguyên 90.29, Hải Dương 90.23 — a gap of 0.06 points.
  const units = [
    { group: 'tinh', index: 90.294 },
    { group: 'tinh', index: 90.286 },
    { group: 'tinh', index: 90.23 },
  ];
  it('on the values shown (2 decimals, the default): equal shown values share a rank', () => {
    expect(units.map((u) => shownIndex(u.index))).toEqual([90.29, 90.29, 90.23]);
    expect(rankUnits(units, 'shown')).toEqual([1, 1, 3]);
  });
  it('in full precision: the third decimal decides', () => {
    expect(rankUnits(units, 'full')).toEqual([1, 2, 3]);
  });
  it('a half is rounded up on its decimal value, as a spreadsheet shows it', () => {
    expect(shownIndex(83.965)).toBe(83.97);
    expect(shownIndex(83.964999)).toBe(83.96);
  });
});
