import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../src/db/prisma-client.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { applyRollupIncrements } from '../../src/scoring/apply-rollup-increments.js';
import type { AnswerForRollup } from '../../src/scoring/option-keys.js';
import { rollupIncrements } from '../../src/scoring/rollup-increments.js';
import { segmentOf } from '../../src/scoring/rollup-keys.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import type { UnitRow } from './units.js';

/*
 * Survey data written straight into a test database, as the answers worker would leave
 * it, for tests of what is computed from it (rollups, reports, verification).
 */

export type FakeResponse = {
  unitId: number | null;
  /** Completion day YYYY-MM-DD. */
  day: string;
  status: 'completed' | 'in_progress' | 'abandoned' | 'opted_out';
  answers: AnswerForRollup[];
  /** The procedure (thủ tục) the response is about (default none). */
  procedureCode?: string | null;
  /** Test data (default false): rolled up under the test segment. */
  test?: boolean;
};

/** Two communes (group "xa") and a department (group "so"): enough for group filters and ranks. */
export const TWO_COMMUNES_ONE_DEPARTMENT: UnitRow[] = [
  { code: 'X1', name: 'UBND xã Một', group: 'xa' },
  { code: 'X2', name: 'UBND xã Hai', group: 'xa' },
  { code: 'S1', name: 'Sở Tư pháp', group: 'so' },
];

export async function storeQuestionnaire(db: Db, def: QuestionnaireDefinition): Promise<number> {
  const row = await db.questionnaire.create({ data: { code: def.code, version: def.version, title: def.title.vi, definition: def as object } });
  return row.id;
}

export async function createUnits(db: Db, units: UnitRow[]): Promise<number[]> {
  const ids: number[] = [];
  for (const u of units) ids.push((await db.unit.create({ data: u })).id);
  return ids;
}

/**
 * Inserts responses and answers directly and, like the answers worker will, adds each
 * completed response's increments to the rollups (unless `rollups` is false).
 */
export async function insertResponses(
  db: Db,
  questionnaire: { id: number; definition: QuestionnaireDefinition },
  responses: FakeResponse[],
  options: { rollups?: boolean } = {},
): Promise<void> {
  const rows = responses.map((r) => ({ ...r, id: randomUUID() }));
  await db.response.createMany({
    data: rows.map((r) => ({
      id: r.id,
      questionnaireId: questionnaire.id,
      unitId: r.unitId,
      channel: 'simulator' as const,
      status: r.status,
      procedureCode: r.procedureCode ?? null,
      isTest: r.test ?? false,
      ...(r.status === 'completed' ? { completedAt: new Date(`${r.day}T03:00:00Z`), completedDay: new Date(`${r.day}T00:00:00Z`) } : {}),
    })),
  });
  await db.answer.createMany({
    data: rows.flatMap((r) =>
      r.answers.map((a) => ({
        responseId: r.id,
        questionCode: a.questionCode,
        status: a.status,
        score: a.score,
        ...(a.value === undefined || a.value === null ? {} : { value: a.value as object }),
        seq: 1,
      })),
    ),
  });
  if (options.rollups === false) return;
  for (const r of rows) {
    if (r.status !== 'completed' || r.unitId === null) continue;
    const inc = rollupIncrements(questionnaire.definition, r.answers);
    await applyRollupIncrements(db, [{ target: { questionnaireId: questionnaire.id, unitId: r.unitId, day: r.day, segment: segmentOf({ invited: false, flagged: false, test: r.test ?? false }) }, inc }]);
  }
}

export async function clearResponses(db: Db): Promise<void> {
  await db.$executeRawUnsafe('TRUNCATE answers, responses, criterion_rollups, option_rollups, criterion_rollups_monthly, option_rollups_monthly');
}

/** Every rollup row of a questionnaire (daily and monthly), sorted, days and months as YYYY-MM-DD. */
export async function rollupRows(db: Db, questionnaireId: number): Promise<unknown[]> {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const c = await db.criterionRollup.findMany({ where: { questionnaireId }, orderBy: [{ unitId: 'asc' }, { criterionCode: 'asc' }, { day: 'asc' }] });
  const o = await db.optionRollup.findMany({ where: { questionnaireId }, orderBy: [{ unitId: 'asc' }, { questionCode: 'asc' }, { option: 'asc' }, { day: 'asc' }] });
  const cm = await db.criterionRollupMonthly.findMany({ where: { questionnaireId }, orderBy: [{ unitId: 'asc' }, { criterionCode: 'asc' }, { month: 'asc' }] });
  const om = await db.optionRollupMonthly.findMany({ where: { questionnaireId }, orderBy: [{ unitId: 'asc' }, { questionCode: 'asc' }, { option: 'asc' }, { month: 'asc' }] });
  return [
    ...c.map((r) => ({ ...r, day: day(r.day) })),
    ...o.map((r) => ({ ...r, day: day(r.day) })),
    ...cm.map((r) => ({ ...r, month: day(r.month) })),
    ...om.map((r) => ({ ...r, month: day(r.month) })),
  ];
}

/** A test database holding units and questionnaires; their ids in the order given. */
export type ScoringDatabase = TestDatabase & { unitIds: number[]; questionnaireIds: number[] };

/** A fresh test database with `units` and `definitions` stored; `drop()` removes it. */
export async function createScoringDatabase(units: UnitRow[], definitions: QuestionnaireDefinition[]): Promise<ScoringDatabase> {
  const t = await createTestDatabase();
  const unitIds = await createUnits(t.prisma, units);
  const questionnaireIds: number[] = [];
  for (const def of definitions) questionnaireIds.push(await storeQuestionnaire(t.prisma, def));
  return { ...t, unitIds, questionnaireIds };
}

/**
 * The same for the enclosing file or describe block: created before its tests, dropped
 * after them. The returned object is filled in by the time the caller's own beforeAll runs.
 */
export function useScoringDatabase(units: UnitRow[], definitions: QuestionnaireDefinition[]): ScoringDatabase {
  const db = {} as ScoringDatabase;
  beforeAll(async () => {
    Object.assign(db, await createScoringDatabase(units, definitions));
  });
  afterAll(async () => db.drop?.());
  return db;
}
