import { beforeAll, describe, expect, it } from 'vitest';
import { loadIndexReport } from '../../src/scoring/load-index-report.js';
import type { IndexReport } from '../../src/scoring/report-schema.js';
import { insertResponses, TWO_COMMUNES_ONE_DEPARTMENT, useScoringDatabase, type FakeResponse } from '../support/scoring-database.js';
import { chose, likert, na, ONE_FIELD } from '../support/scoring-fixtures.js';

const t = useScoringDatabase(TWO_COMMUNES_ONE_DEPARTMENT, [ONE_FIELD]);

beforeAll(async () => {
  const responses: FakeResponse[] = [];
  // X1: 12 responses, X2: 7, S1: 3 (withheld): levels vary by response, options answered too.
  const plan: [number, number][] = [[0, 12], [1, 7], [2, 3]];
  for (const [unit, n] of plan) {
    for (let i = 0; i < n; i++) {
      responses.push({
        unitId: t.unitIds[unit]!,
        day: `2025-0${1 + (i % 3)}-1${i % 10}`,
        status: 'completed',
        answers: [likert('qE1.1', 1 + ((i + unit) % 5)), i % 4 ? likert('qE1.2', 5 - (i % 3)) : na('qE1.2'), likert('qE2.1', 2 + (i % 4)), chose('gender', i % 2 ? 'm' : 'f')],
      });
    }
  }
  await insertResponses(t.prisma, { id: t.questionnaireIds[0]!, definition: ONE_FIELD }, responses);
});

const withoutOptions = (r: IndexReport) => ({ ...r, overall: { ...r.overall, options: [] }, units: r.units.map((u) => ({ ...u, options: [] })) });

describe('the reports a trend compares', () => {
  it('read without option shares carry the same indices, counts, suppression and ranks as the index report', async () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const query = { questionnaireId: t.questionnaireIds[0]!, from: '2025-01-01', to: '2025-12-31', generatedAt: at };
    const full = await loadIndexReport(t.prisma, query);
    const lean = await loadIndexReport(t.prisma, { ...query, optionShares: false });
    expect(full.units.find((u) => u.code === 'X1')!.options.some((q) => q.answered > 0)).toBe(true);
    expect(lean.units.every((u) => u.options.every((q) => q.answered === 0))).toBe(true);
    expect(withoutOptions(lean)).toEqual(withoutOptions(full));
    expect(lean.units.map((u) => [u.code, u.responses, u.suppressed])).toEqual([
      ['X1', 12, false],
      ['X2', null, true], // withheld too, so that S1's 3 cannot be derived from the total
      ['S1', null, true],
    ]);
  });
});
