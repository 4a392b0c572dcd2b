import type { Effect } from '../conversation/effects.js';
import type { Prisma } from '../db/prisma-client.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { applyRollupIncrements } from '../scoring/apply-rollup-increments.js';
import { rollupIncrements } from '../scoring/rollup-increments.js';
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
  const definition = await definitionOf(tx, catalog, response.questionnaireId);
  const answers = e.answers.map((a) => ({ questionCode: a.questionCode, status: a.status, score: a.score ?? null, value: a.value }));
  await applyRollupIncrements(tx, [{ target: { questionnaireId: response.questionnaireId, unitId: response.unitId, day: day.toISOString().slice(0, 10) }, inc: rollupIncrements(definition, answers) }]);
}

export async function definitionOf(tx: Prisma.TransactionClient, catalog: QuestionnaireCatalog, id: number) {
  const cached = catalog.getById(id);
  if (cached) return cached.definition;
  const row = await tx.questionnaire.findUniqueOrThrow({ where: { id }, select: { code: true, version: true } });
  const q = await catalog.fetch(row.code, row.version);
  if (!q) throw new Error(`questionnaire ${row.code}@${row.version} vanished`);
  return q.definition;
}
