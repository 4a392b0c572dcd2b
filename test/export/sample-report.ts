import { PassThrough, type Writable } from 'node:stream';
import { buildIndexReport } from '../../src/scoring/build-index-report.js';
import type { CriterionCountRow, OptionCountRow } from '../../src/scoring/count-types.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import type { IndexReport } from '../../src/scoring/report-schema.js';
import { criterionBindings } from '../../src/scoring/index-bindings.js';

/**
 * A report with awkward numbers (thirds, sevenths), a tie, a suppressed unit, a null
 * criterion and option shares, built from counts derived from a seed.
 */
export function sampleReport(def: QuestionnaireDefinition, unitCount = 6): IndexReport {
  const codes = criterionBindings(def).map((b) => b.criterionCode);
  const units = Array.from({ length: unitCount }, (_, i) => ({ id: i + 1, code: `DV${String(i + 1).padStart(2, '0')}`, name: `Đơn vị số ${i + 1} – phường Đống Đa`, group: i % 3 === 2 ? 'Sở, ban, ngành' : 'UBND cấp xã' }));
  // DV05 copies DV04 (a tie in the same group); DV02 has 3 responses (suppressed).
  const source = (id: number) => (id === 5 ? 4 : id);
  const responses = units.map((u) => ({ unitId: u.id, responses: u.id === 2 ? 3 : 7 + 3 * source(u.id) }));
  const criteria: CriterionCountRow[] = [];
  for (const u of units) {
    const r = responses[u.id - 1]!.responses;
    const seed = source(u.id);
    codes.forEach((criterionCode, k) => {
      if (u.id === 3 && k === 1) return; // DV03 has no answer to the second criterion: null
      const c5 = (seed * 3 + k) % 5;
      const c4 = (seed + 2 * k) % 4;
      const c1 = Math.max(0, r - c5 - c4 - 2 - (k % 3));
      criteria.push({ unitId: u.id, criterionCode, c1, c2: 1, c3: 1 + (k % 3), c4, c5, na: (seed + k) % 3 });
    });
  }
  const options: OptionCountRow[] = units.flatMap((u) => [
    { unitId: u.id, questionCode: 'gender', option: '__answered', count: 7 },
    { unitId: u.id, questionCode: 'gender', option: 'm', count: 3 },
    { unitId: u.id, questionCode: 'gender', option: 'f', count: 4 },
    { unitId: u.id, questionCode: 'channel', option: '__answered', count: 6 },
    { unitId: u.id, questionCode: 'channel', option: 'web', count: u.id },
    { unitId: u.id, questionCode: 'overall', option: '__answered', count: 3 },
    { unitId: u.id, questionCode: 'overall', option: '4', count: 2 },
    { unitId: u.id, questionCode: 'overall', option: '5', count: 1 },
  ]);
  return buildIndexReport({
    definition: def,
    units,
    counts: { responses, criteria, options },
    period: { from: '2025-01-01', to: '2025-06-30' },
    generatedAt: new Date('2025-07-01T02:30:00Z'),
  });
}

/** A writable that collects everything written to it. */
export function collector(): { stream: Writable; done: () => Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, done: () => Buffer.concat(chunks) };
}
