import { vietnamDay } from '../core/vietnam-day.js';
import type { RawSql } from '../db/sql-pool.js';
import type { Effect } from '../engine/index.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { criterionBindings } from '../scoring/index-bindings.js';

/**
 * Data-quality checks of a completing response. A flagged response still counts (reports
 * can leave flagged ones out and say how many); a second open-survey response of the same
 * person for the same unit and period does not count at all.
 * - `too_fast`: finished in less than `minSecondsPerAnswer` per answered question;
 * - `straight_lining`: the same level on every criterion (five or more answered);
 * - `repeat_person`: the person already has a counted response for this unit and period;
 * - `creator_volume`: the invitation's creator has had more than `maxPerCreatorDay`
 *   responses completed for the unit that day (one account answering its own invitations).
 */
export type QualityFlag = 'too_fast' | 'straight_lining' | 'repeat_person' | 'creator_volume';
export type CompletionPolicy = { minSecondsPerAnswer: number; maxPerCreatorDay: number };
export const DEFAULT_COMPLETION_POLICY: CompletionPolicy = { minSecondsPerAnswer: 2, maxPerCreatorDay: 50 };
export type QualityOutcome = { flags: QualityFlag[]; counted: boolean };

type Completed = Extract<Effect, { type: 'response_completed' }>;
type Checked = {
  completion: Completed;
  row: { unitId: number | null; questionnaireId: number; source: 'invited' | 'open'; startedAt: Date | null; creatorKeyId: string | null };
  repeatPerson: boolean;
};

/** Minimum criteria answered before identical answers say more than chance. */
const STRAIGHT_LINE_MIN = 5;

export async function qualityFlags(tx: RawSql, catalog: QuestionnaireCatalog, policy: CompletionPolicy, items: Checked[]): Promise<Map<string, QualityOutcome>> {
  const overVolume = await creatorVolume(tx, policy, items);
  const out = new Map<string, QualityOutcome>();
  for (const { completion: e, row, repeatPerson } of items) {
    const flags: QualityFlag[] = [];
    const answered = e.answers.filter((a) => a.status === 'answered');
    if (row.startedAt && (Date.parse(e.at) - row.startedAt.getTime()) / 1000 < policy.minSecondsPerAnswer * answered.length) flags.push('too_fast');
    const criteria = new Set(criterionBindings((await catalog.byRowId(row.questionnaireId)).definition).map((b) => b.questionCode));
    const levels = answered.filter((a) => criteria.has(a.questionCode)).map((a) => a.score);
    if (levels.length >= STRAIGHT_LINE_MIN && levels.every((l) => l === levels[0])) flags.push('straight_lining');
    if (repeatPerson) flags.push('repeat_person');
    if (overVolume.has(e.responseId)) flags.push('creator_volume');
    out.set(e.responseId, { flags, counted: !(repeatPerson && row.source === 'open') });
  }
  return out;
}

/** Counts completed invited responses per creator, unit and day; returns those past the policy's limit. */
async function creatorVolume(tx: RawSql, policy: CompletionPolicy, items: Checked[]): Promise<Set<string>> {
  const invited = items.filter((i) => i.row.source === 'invited' && i.row.creatorKeyId && i.row.unitId !== null);
  const over = new Set<string>();
  // One statement per response: the count after each tells which ones are past the limit.
  for (const { completion: e, row } of invited) {
    const [counted] = await tx.$queryRaw<{ completed: number }[]>`
      INSERT INTO creator_day_counts AS c (creator_key_id, unit_id, day, completed)
      VALUES (${row.creatorKeyId}::uuid, ${row.unitId}::int, ${vietnamDay(new Date(e.at)).toISOString().slice(0, 10)}::date, 1)
      ON CONFLICT (creator_key_id, unit_id, day) DO UPDATE SET completed = c.completed + 1
      RETURNING completed`;
    if ((counted?.completed ?? 0) > policy.maxPerCreatorDay) over.add(e.responseId);
  }
  return over;
}
