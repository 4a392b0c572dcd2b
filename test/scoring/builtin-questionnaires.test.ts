import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import type { Question, QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { writeReportXlsx } from '../../src/export/write-report-xlsx.js';
import { criterionBindings } from '../../src/scoring/index-bindings.js';
import { loadIndexReport } from '../../src/scoring/load-index-report.js';
import type { AnswerForRollup } from '../../src/scoring/option-keys.js';
import { verifyRollups } from '../../src/scoring/verify-rollups.js';
import { collector } from '../export/sample-report.js';
import { insertResponses, storeQuestionnaire, useScoringDatabase, type FakeResponse } from '../support/scoring-database.js';
import { seededRandom as prng } from '../../src/core/seeded-random.js';


function answer(q: Question, rnd: () => number): AnswerForRollup | null {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const base = { questionCode: q.code, status: 'answered' as const, score: null };
  switch (q.kind) {
    case 'likert5':
      return rnd() < 0.1 ? { ...base, status: 'not_applicable', value: null } : { ...base, score: pick([1, 2, 3, 4, 4, 5, 5]), value: null };
    case 'single':
      return { ...base, value: pick(q.options).value };
    case 'multi':
      return { ...base, value: q.options.filter(() => rnd() < 0.4).map((o) => o.value) };
    case 'yesno':
      return { ...base, value: rnd() < 0.3 };
    case 'text':
      return rnd() < 0.5 ? { ...base, value: 'Cán bộ nhiệt tình' } : null;
  }
}

const builtins = loadBuiltinQuestionnaires();
// Each test stores its questionnaire; 90 responses spread evenly over the three units.
const t = useScoringDatabase(
  [
    { code: 'SNV', name: 'Sở Nội vụ', group: 'so' },
    { code: 'STP', name: 'Sở Tư pháp', group: 'so' },
    { code: 'XA1', name: 'UBND xã Tân Lập', group: 'xa' },
  ],
  [],
);

describe.each(builtins.map((d) => [`${d.code}@${d.version}`, d] as [string, QuestionnaireDefinition]))('the built-in questionnaire %s', (_, def) => {
  it('scores the same from rollups and raw answers, and exports a valid workbook', async () => {
    const id = await storeQuestionnaire(t.prisma, def);
    const rnd = prng(def.code.length * 7919 + def.version);
    const responses: FakeResponse[] = Array.from({ length: 90 }, (_, i) => ({
      unitId: t.unitIds[i % 3]!,
      day: `2025-0${1 + (i % 6)}-1${i % 10}`,
      status: 'completed',
      answers: def.questions.map((q) => answer(q, rnd)).filter((a): a is AnswerForRollup => a !== null),
    }));
    await insertResponses(t.prisma, { id, definition: def }, responses);
    expect(await verifyRollups(t.prisma, { questionnaireId: id })).toEqual([]);

    const report = await loadIndexReport(t.prisma, { questionnaireId: id });
    expect(await loadIndexReport(t.prisma, { questionnaireId: id, source: 'raw', generatedAt: new Date(report.generatedAt) })).toEqual(report);
    expect(report.overall.responses).toBe(90);
    expect(report.units.map((u) => u.responses)).toEqual([30, 30, 30]);
    const criteria = criterionBindings(def).length;
    const countCriteria = (nodes: typeof report.overall.nodes): number => nodes.reduce((s, n) => s + (n.kind === 'criterion' ? 1 : countCriteria(n.children ?? [])), 0);
    expect(countCriteria(report.overall.nodes)).toBe(criteria);
    expect(report.overall.index).not.toBeNull();
    expect(report.overall.options.length).toBeGreaterThan(0);

    const out = collector();
    await writeReportXlsx(report, out.stream);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out.done() as unknown as ArrayBuffer);
    const summary = wb.getWorksheet('Tổng hợp')!;
    expect(summary.getRow(report.units.length + 2).getCell(6).value).toBe(report.overall.index);
    expect(new Set(wb.worksheets.map((w) => w.name)).size).toBe(wb.worksheets.length);
  });
});

it('the built-in questionnaires have the published shapes (sipas-2017: 5 elements, 22 criteria; sipas-2024: 2 fields, 23 + 16 criteria)', () => {
  const byCode = new Map(builtins.map((d) => [d.code, d]));
  const s17 = byCode.get('sipas-2017');
  const s24 = byCode.get('sipas-2024');
  expect(s17 && criterionBindings(s17).length).toBe(22);
  expect(s17?.index.map((n) => [n.kind, n.children?.length])).toEqual([['element', 4], ['element', 5], ['element', 6], ['element', 3], ['element', 4]]);
  expect(s24?.index.map((n) => [n.kind, criterionBindings({ index: [n] }).length])).toEqual([['field', 23], ['field', 16]]);
});
