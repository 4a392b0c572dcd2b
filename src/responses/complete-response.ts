import { type Effect } from '../engine/index.js';
import type { RawSql } from '../db/sql-pool.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { applyRollupIncrements, type RollupEntry } from '../scoring/apply-rollup-increments.js';
import { rollupIncrements } from '../scoring/rollup-increments.js';
import { segmentOf } from '../scoring/rollup-keys.js';
import { vietnamDay } from '../core/vietnam-day.js';
import { claimCountedMarks } from './counted-marks.js';
import { cutCompletedLinks } from './cut-links.js';
import { qualityFlags, DEFAULT_COMPLETION_POLICY, type CompletionPolicy } from './quality-flags.js';
import { upsertAnswerRows, type AnswerRow } from './upsert-answers.js';

type Tx = RawSql;
export type Completed = Extract<Effect, { type: 'response_completed' }>;
/** A completing response's one-per-person mark, from the answers job (see counted-marks.ts). */
export type CountMark = { responseId: string; mark: string; period: string };

/** The marks the items of an answers job carry, by response. */
export const countMarksOf = (items: { countMarks?: CountMark[] | undefined }[]): Map<string, CountMark> => new Map(items.flatMap((i) => i.countMarks ?? []).map((m) => [m.responseId, m]));

type Flipped = { id: string; unitId: number | null; questionnaireId: number; source: 'invited' | 'open'; startedAt: Date | null; invitationId: string | null; creatorKeyId: string | null; isTest: boolean };

const dayOf = (at: string) => vietnamDay(new Date(at)).toISOString().slice(0, 10);

/**
 * Completion is the only point where rollups change: the response flips to completed
 * exactly once (a conditional update), its final answer set replaces whatever partial
 * answers are stored, it is checked (one counted response per person, unit and period;
 * data-quality flags), then cut loose from its invitation and respondent and stripped of
 * exact times, and only then — if it counts — added to the rollups, in its segment.
 */
export async function completeResponses(
  tx: Tx,
  catalog: QuestionnaireCatalog,
  completions: Completed[],
  marks: ReadonlyMap<string, CountMark> = new Map(),
  policy: CompletionPolicy = DEFAULT_COMPLETION_POLICY,
): Promise<void> {
  const byResponse = [...new Map(completions.map((e) => [e.responseId, e])).values()].sort((a, b) => (a.responseId < b.responseId ? -1 : 1));
  if (byResponse.length === 0) return;
  const flipped = await tx.$queryRaw<Flipped[]>`
    WITH flipped AS (
      UPDATE responses r SET status = 'completed', completed_day = t.day::date,
        -- The round of its invitation, else the round open for its unit on the day it was completed.
        round_id = COALESCE(
          (SELECT i.round_id FROM invitations i WHERE i.id = r.invitation_id),
          (SELECT q.round_id FROM round_quotas q JOIN rounds ro ON ro.id = q.round_id
            WHERE q.unit_id = r.unit_id AND t.day::date BETWEEN ro.opens_on AND ro.closes_on LIMIT 1))
      FROM unnest(${byResponse.map((e) => e.responseId)}::uuid[], ${byResponse.map((e) => dayOf(e.at))}::text[]) AS t(id, day)
      WHERE r.id = t.id AND r.status = 'in_progress'
      RETURNING r.id, r.unit_id, r.questionnaire_id, r.source, r.started_at, r.invitation_id, r.is_test)
    SELECT f.id::text AS id, f.unit_id AS "unitId", f.questionnaire_id AS "questionnaireId", f.source::text AS source,
      f.started_at AS "startedAt", f.invitation_id::text AS "invitationId", i.created_by_key_id::text AS "creatorKeyId", f.is_test AS "isTest"
    FROM flipped f LEFT JOIN invitations i ON i.id = f.invitation_id`;
  if (flipped.length === 0) return;

  const done = new Map(flipped.map((f) => [f.id, f]));
  const finals = byResponse.filter((e) => done.has(e.responseId));
  await reconcileFinalAnswers(tx, finals);

  const taken = await claimCountedMarks(tx, finals.flatMap((e) => marks.get(e.responseId) ?? []));
  // Two completions of one person in the same batch: the first claims the mark, the others repeat it.
  const claimedBy = new Map<string, string>();
  for (const e of finals) {
    const mark = marks.get(e.responseId)?.mark;
    if (mark && !claimedBy.has(mark)) claimedBy.set(mark, e.responseId);
  }
  const outcomes = await qualityFlags(tx, catalog, policy, finals.map((e) => {
    const row = done.get(e.responseId)!;
    const mark = marks.get(e.responseId)?.mark;
    // Test completions do not add to a creator's daily volume (they would flag real responses).
    return { completion: e, row: row.isTest ? { ...row, creatorKeyId: null } : row, repeatPerson: mark !== undefined && (taken.has(mark) || claimedBy.get(mark) !== e.responseId) };
  }));
  await cutCompletedLinks(tx, finals.map((e) => ({ completion: e, day: dayOf(e.at), ...outcomes.get(e.responseId)! })));

  const entries: RollupEntry[] = [];
  for (const e of finals) {
    const row = done.get(e.responseId)!;
    const outcome = outcomes.get(e.responseId)!;
    if (row.unitId === null || !outcome.counted) continue;
    const segment = segmentOf({ invited: row.source === 'invited', flagged: outcome.flags.length > 0, test: row.isTest });
    entries.push(completionRollupEntry(await definitionOf(catalog, row.questionnaireId), e, { questionnaireId: row.questionnaireId, unitId: row.unitId, segment }));
  }
  await applyRollupIncrements(tx, entries);
}

/** What one completed response adds to the rollups: its final answers, counted on its completion day (Asia/Ho_Chi_Minh). */
export function completionRollupEntry(definition: QuestionnaireDefinition, e: Completed, at: { questionnaireId: number; unitId: number; segment: number }): RollupEntry {
  const answers = e.answers.map((a) => ({ questionCode: a.questionCode, status: a.status, score: a.score ?? null, value: a.value }));
  return { target: { ...at, day: dayOf(e.at) }, inc: rollupIncrements(definition, answers) };
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
