import type { Effect } from '../conversation/effects.js';
import type { Prisma } from '../db/prisma-client.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { rollupIncrements } from './rollup-increments.js';
import { upsertAnswers } from './upsert-answers.js';
import { vietnamDay } from './vietnam-day.js';

type Completed = Extract<Effect, { type: 'response_completed' }>;

/**
 * Completion is the only point where rollups change: the final answer set replaces
 * whatever partial answers are stored, the response flips to completed exactly once
 * (a conditional update), and only that transition adds to the rollups.
 */
export async function completeResponse(tx: Prisma.TransactionClient, catalog: QuestionnaireCatalog, e: Completed): Promise<void> {
  const at = new Date(e.at);
  const day = vietnamDay(at);
  const flipped = await tx.response.updateMany({ where: { id: e.responseId, status: 'in_progress' }, data: { status: 'completed', completedAt: at, completedDay: day } });
  if (flipped.count === 0) return;

  await upsertAnswers(tx, e.responseId, e.answers, at);
  await tx.answer.deleteMany({ where: { responseId: e.responseId, questionCode: { notIn: e.answers.map((a) => a.questionCode) } } });
  if (e.invitationId) await tx.invitation.updateMany({ where: { id: e.invitationId }, data: { status: 'completed', completedAt: at } });

  const response = await tx.response.findUniqueOrThrow({ where: { id: e.responseId }, select: { unitId: true, questionnaireId: true } });
  if (response.unitId === null) return;
  const q = await definitionOf(tx, catalog, response.questionnaireId);
  const inc = rollupIncrements(q, e.answers);
  const qid = response.questionnaireId;
  const uid = response.unitId;
  if (inc.criteria.length) {
    const codes = inc.criteria.map((c) => c.criterionCode);
    const one = (col: string) => inc.criteria.map((c) => (c.column === col ? 1 : 0));
    await tx.$executeRaw`
      INSERT INTO criterion_rollups (questionnaire_id, unit_id, criterion_code, day, c1, c2, c3, c4, c5, c_na)
      SELECT ${qid}, ${uid}, t.code, ${day}::date, t.c1, t.c2, t.c3, t.c4, t.c5, t.c_na
      FROM unnest(${codes}::text[], ${one('c1')}::int[], ${one('c2')}::int[], ${one('c3')}::int[], ${one('c4')}::int[], ${one('c5')}::int[], ${one('c_na')}::int[])
        AS t(code, c1, c2, c3, c4, c5, c_na)
      ON CONFLICT (questionnaire_id, unit_id, criterion_code, day) DO UPDATE SET
        c1 = criterion_rollups.c1 + EXCLUDED.c1, c2 = criterion_rollups.c2 + EXCLUDED.c2, c3 = criterion_rollups.c3 + EXCLUDED.c3,
        c4 = criterion_rollups.c4 + EXCLUDED.c4, c5 = criterion_rollups.c5 + EXCLUDED.c5, c_na = criterion_rollups.c_na + EXCLUDED.c_na`;
  }
  const qcodes = inc.options.map((o) => o.questionCode);
  const options = inc.options.map((o) => o.option);
  await tx.$executeRaw`
    INSERT INTO option_rollups (questionnaire_id, unit_id, question_code, option, day, count)
    SELECT ${qid}, ${uid}, t.q, t.o, ${day}::date, COUNT(*)::int
    FROM unnest(${qcodes}::text[], ${options}::text[]) AS t(q, o) GROUP BY t.q, t.o
    ON CONFLICT (questionnaire_id, unit_id, question_code, option, day) DO UPDATE SET count = option_rollups.count + EXCLUDED.count`;
}

async function definitionOf(tx: Prisma.TransactionClient, catalog: QuestionnaireCatalog, id: number) {
  const cached = catalog.getById(id);
  if (cached) return cached.definition;
  const row = await tx.questionnaire.findUniqueOrThrow({ where: { id }, select: { code: true, version: true } });
  const q = await catalog.fetch(row.code, row.version);
  if (!q) throw new Error(`questionnaire ${row.code}@${row.version} vanished`);
  return q.definition;
}
