import { type FinalAnswer } from '../engine/index.js';
import type { RawSql } from '../db/sql-pool.js';

export type AnswerRow = { responseId: string; answer: FinalAnswer; at: Date };

/**
 * Multi-row upsert of answers, across any number of responses, in one statement; a
 * stored answer is replaced only by one with a higher seq, so a late replayed job can
 * never overwrite a newer answer. Rows must be unique per (response, question) — one
 * statement cannot touch a row twice — and are sorted here so that concurrent
 * transactions lock rows in the same order.
 */
export async function upsertAnswerRows(tx: RawSql, rows: AnswerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => compare(a.responseId, b.responseId) || compare(a.answer.questionCode, b.answer.questionCode));
  const col = <T>(f: (r: AnswerRow) => T) => sorted.map(f);
  await tx.$executeRaw`
    INSERT INTO answers (response_id, question_code, status, score, value, seq, answered_at)
    SELECT t.response_id, t.question_code, t.status::"AnswerStatus", t.score, t.value::jsonb, t.seq, t.at::timestamptz AT TIME ZONE 'UTC'
    FROM unnest(${col((r) => r.responseId)}::uuid[], ${col((r) => r.answer.questionCode)}::text[], ${col((r) => r.answer.status)}::text[],
      ${col((r) => r.answer.score ?? null)}::int[], ${col((r) => JSON.stringify(r.answer.value ?? null))}::text[], ${col((r) => r.answer.seq)}::int[],
      ${col((r) => r.at.toISOString())}::text[])
      AS t(response_id, question_code, status, score, value, seq, at)
    ON CONFLICT (response_id, question_code) DO UPDATE
      SET status = EXCLUDED.status, score = EXCLUDED.score, value = EXCLUDED.value, seq = EXCLUDED.seq, answered_at = EXCLUDED.answered_at
      WHERE answers.seq < EXCLUDED.seq`;
}

/** One response's answers, all stamped `at`. */
export function upsertAnswers(tx: RawSql, responseId: string, answers: FinalAnswer[], at: Date): Promise<void> {
  return upsertAnswerRows(tx, answers.map((answer) => ({ responseId, answer, at })));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
