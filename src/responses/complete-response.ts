import { type Effect } from '../engine/index.js';
import type { RawSql } from '../db/sql-pool.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { applyRollupIncrements, type RollupEntry } from '../scoring/apply-rollup-increments.js';
import { rollupIncrements } from '../scoring/rollup-increments.js';
import { upsertAnswerRows, type AnswerRow } from './upsert-answers.js';
import { vietnamDay } from '../core/vietnam-day.js';

type Tx = RawSql;
export type Completed = Extract<Effect, { type: 'response_completed' }>;

/**
 * Completion is the only point where rollups change: the response flips to completed
 * exactly once (a conditional update), its final answer set replaces whatever partial
 * answers are stored, and only the flipped responses add to the rollups.
 */
export async function completeResponses(tx: Tx, catalog: QuestionnaireCatalog, completions: Completed[]): Promise<void> {
  const byResponse = [...new Map(completions.map((e) => [e.responseId, e])).values()].sort((a, b) => (a.responseId < b.responseId ? -1 : 1));
  if (byResponse.length === 0) return;
  const flipped = await tx.$queryRaw<{ id: string; unitId: number | null; questionnaireId: number }[]>`
    UPDATE responses r
    SET status = 'completed', completed_at = t.at::timestamptz AT TIME ZONE 'UTC', completed_day = t.day::date, updated_at = now()
    FROM unnest(${byResponse.map((e) => e.responseId)}::uuid[], ${byResponse.map((e) => e.at)}::text[],
      ${byResponse.map((e) => vietnamDay(new Date(e.at)).toISOString().slice(0, 10))}::text[]) AS t(id, at, day)
    WHERE r.id = t.id AND r.status = 'in_progress'
    RETURNING r.id::text AS id, r.unit_id AS "unitId", r.questionnaire_id AS "questionnaireId"`;
  if (flipped.length === 0) return;

  const done = new Map(flipped.map((f) => [f.id, f]));
  const finals = byResponse.filter((e) => done.has(e.responseId));
  await reconcileFinalAnswers(tx, finals);
  const invited = finals.filter((e) => e.invitationId);
  if (invited.length > 0) {
    await tx.$executeRaw`
      UPDATE invitations i SET status = 'completed', completed_at = t.at::timestamptz AT TIME ZONE 'UTC'
      FROM unnest(${invited.map((e) => e.invitationId)}::uuid[], ${invited.map((e) => e.at)}::text[]) AS t(id, at)
      WHERE i.id = t.id`;
  }

  const entries: RollupEntry[] = [];
  for (const e of finals) {
    const row = done.get(e.responseId)!;
    if (row.unitId === null) continue;
    entries.push(completionRollupEntry(await definitionOf(catalog, row.questionnaireId), e, { questionnaireId: row.questionnaireId, unitId: row.unitId }));
  }
  await applyRollupIncrements(tx, entries);
}

/** What one completed response adds to the rollups: its final answers, counted on its completion day (Asia/Ho_Chi_Minh). */
function completionRollupEntry(definition: QuestionnaireDefinition, e: Completed, at: { questionnaireId: number; unitId: number }): RollupEntry {
  const answers = e.answers.map((a) => ({ questionCode: a.questionCode, status: a.status, score: a.score ?? null, value: a.value }));
  return { target: { ...at, day: vietnamDay(new Date(e.at)).toISOString().slice(0, 10) }, inc: rollupIncrements(definition, answers) };
}

/**
 * Makes each completed response's stored answers its final answer set. Answers were
 * stored one by one as they came, so usually nothing differs: read what is stored and
 * write only what is missing, older or no longer part of the response (an upsert of
 * every row would lock and rewrite each one).
 */
async function reconcileFinalAnswers(tx: Tx, finals: Completed[]): Promise<void> {
  const stored = await tx.$queryRaw<{ id: bigint | string; response_id: string; question_code: string; seq: number }[]>`
    SELECT id, response_id::text, question_code, seq FROM answers WHERE response_id = ANY(${finals.map((e) => e.responseId)}::uuid[])`;
  const storedSeq = new Map(stored.map((r) => [`${r.response_id}\u0000${r.question_code}`, r]));
  const final = new Set<string>();
  const writes: AnswerRow[] = [];
  for (const e of finals) {
    for (const answer of e.answers) {
      const key = `${e.responseId}\u0000${answer.questionCode}`;
      final.add(key);
      const held = storedSeq.get(key);
      if (!held || held.seq < answer.seq) writes.push({ responseId: e.responseId, answer, at: new Date(e.at) });
    }
  }
  await upsertAnswerRows(tx, writes);
  const stale = stored.filter((r) => !final.has(`${r.response_id}\u0000${r.question_code}`)).map((r) => r.id);
  if (stale.length > 0) await tx.$executeRaw`DELETE FROM answers WHERE id = ANY(${stale}::bigint[])`;
}

export async function definitionOf(catalog: QuestionnaireCatalog, id: number) {
  return (await catalog.byRowId(id)).definition;
}
