import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIndexReport } from '../../src/scoring/load-index-report.js';
import { rebuildRollups } from '../../src/scoring/rebuild-rollups.js';
import type { IndexReport, Interval, ReportNode } from '../../src/scoring/report-schema.js';
import type { AnswerForRollup } from '../../src/scoring/option-keys.js';
import { verifyRollups } from '../../src/scoring/verify-rollups.js';
import { clearResponses, insertResponses, rollupRows, useScoringDatabase, type FakeResponse } from '../support/scoring-database.js';
import { chose, likert, na, ONE_FIELD, TWO_FIELDS, TWO_FIELDS_POOLED, unanswered } from '../support/scoring-fixtures.js';

const DAYS = ['2025-03-01', '2025-03-02', '2025-03-15', '2025-04-01'];

/** A likert answer (or N/A, or unanswered) — or, as `null`, no answer row at all. */
const likertAnswer = (code: string) =>
  fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 5 }).map((s) => likert(code, s)) },
    { weight: 2, arbitrary: fc.constant(na(code)) },
    { weight: 1, arbitrary: fc.constant(unanswered(code)) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
const chosen = (code: string, value: fc.Arbitrary<unknown>) => fc.option(value.map((v) => chose(code, v)), { nil: null });

const questionCodes = [...new Set([...ONE_FIELD.questions, ...TWO_FIELDS.questions].filter((q) => q.kind === 'likert5').map((q) => q.code))];
const answersArb = fc
  .tuple(
    fc.tuple(...questionCodes.map(likertAnswer)),
    chosen('gender', fc.constantFrom('m', 'f')),
    chosen('channel', fc.subarray(['web', 'tv', 'kin'])),
    chosen('harass', fc.boolean()),
    chosen('note', fc.string({ maxLength: 20 })),
  )
  .map(([likerts, ...rest]) => [...likerts, ...rest].filter((a): a is AnswerForRollup => a !== null));

const responseArb = (unitCount: number) =>
  fc.record({
    questionnaire: fc.constantFrom(0, 1, 2),
    unit: fc.integer({ min: 0, max: unitCount }), // unitCount = no unit (open survey never assigned)
    day: fc.constantFrom(...DAYS),
    status: fc.constantFrom('completed', 'completed', 'completed', 'completed', 'in_progress', 'abandoned', 'opted_out'),
    answers: answersArb,
  });

function indicesOf(report: IndexReport): { index: number | null; ci: Interval | null }[] {
  const walk = (nodes: ReportNode[]): { index: number | null; ci: Interval | null }[] => nodes.flatMap((n) => [n, ...walk(n.children ?? [])]);
  return [report.overall, ...report.groups, ...report.units, ...walk(report.overall.nodes), ...report.groups.flatMap((g) => walk(g.nodes)), ...report.units.flatMap((u) => walk(u.nodes))];
}

// Both aggregation rules: every level the mean of its children, and the mean of all criteria below.
const DEFINITIONS = [ONE_FIELD, TWO_FIELDS, TWO_FIELDS_POOLED];
const t = useScoringDatabase(
  [
    { code: 'A', name: 'Đơn vị A', group: 'g1' },
    { code: 'B', name: 'Đơn vị B', group: 'g1' },
    { code: 'C', name: 'Đơn vị C', group: 'g2' },
  ],
  DEFINITIONS,
);
let questionnaires: { id: number; definition: typeof ONE_FIELD }[];

beforeAll(() => {
  questionnaires = DEFINITIONS.map((definition, i) => ({ id: t.questionnaireIds[i]!, definition }));
});

describe('property: rollups kept per response equal counts from raw answers', () => {
  it('for random answer sets, both paths agree exactly, rebuild reproduces the rollups, every index is in [0, 100]', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(responseArb(3), { maxLength: 40 }), fc.constantFrom(...DAYS), fc.integer({ min: 1, max: 6 }), fc.constantFrom('mean_of_units' as const, 'pooled' as const), async (drawn, from, minCell, totals) => {
        await clearResponses(t.prisma);
        for (const [i, q] of questionnaires.entries()) {
          const responses: FakeResponse[] = drawn
            .filter((r) => r.questionnaire === i)
            .map((r) => ({ unitId: t.unitIds[r.unit] ?? null, day: r.day, status: r.status, answers: r.answers }));
          await insertResponses(t.prisma, q, responses);
        }
        for (const q of questionnaires) {
          expect(await verifyRollups(t.prisma, { questionnaireId: q.id })).toEqual([]);
          expect(await verifyRollups(t.prisma, { questionnaireId: q.id, from, group: 'g1' })).toEqual([]);
          const at = new Date('2025-05-01T00:00:00Z');
          const fast = await loadIndexReport(t.prisma, { questionnaireId: q.id, from, minCell, generatedAt: at, totals });
          const slow = await loadIndexReport(t.prisma, { questionnaireId: q.id, from, minCell, generatedAt: at, source: 'raw', totals });
          expect(fast).toEqual(slow);
          for (const { index, ci } of indicesOf(fast)) {
            if (index === null) continue;
            expect(index).toBeGreaterThanOrEqual(0);
            expect(index).toBeLessThanOrEqual(100);
            expect(ci!.low).toBeGreaterThanOrEqual(0);
            expect(ci!.high).toBeLessThanOrEqual(100);
            expect(ci!.low).toBeLessThanOrEqual(index + 1e-9);
            expect(ci!.high).toBeGreaterThanOrEqual(index - 1e-9);
          }
          const kept = await rollupRows(t.prisma, q.id);
          await rebuildRollups(t.prisma, q.id);
          expect(await rollupRows(t.prisma, q.id)).toEqual(kept);
        }
      }),
      { numRuns: 40 },
    );
  }, 180_000);
});
