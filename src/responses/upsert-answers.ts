import { type Prisma } from '../db/prisma-client.js';
import type { FinalAnswer } from '../conversation/effects.js';

/**
 * Multi-row upsert of answers; a stored answer is replaced only by one with a higher
 * seq, so a late replayed job can never overwrite a newer answer.
 */
export async function upsertAnswers(tx: Prisma.TransactionClient, responseId: string, answers: FinalAnswer[], at: Date): Promise<void> {
  if (answers.length === 0) return;
  const ids = answers.map(() => responseId);
  const codes = answers.map((a) => a.questionCode);
  const statuses = answers.map((a) => a.status);
  const scores = answers.map((a) => a.score ?? null);
  const values = answers.map((a) => JSON.stringify(a.value ?? null));
  const seqs = answers.map((a) => a.seq);
  await tx.$executeRaw`
    INSERT INTO answers (response_id, question_code, status, score, value, seq, answered_at)
    SELECT t.response_id, t.question_code, t.status::"AnswerStatus", t.score, t.value::jsonb, t.seq, ${at}
    FROM unnest(${ids}::uuid[], ${codes}::text[], ${statuses}::text[], ${scores}::int[], ${values}::text[], ${seqs}::int[])
      AS t(response_id, question_code, status, score, value, seq)
    ON CONFLICT (response_id, question_code) DO UPDATE
      SET status = EXCLUDED.status, score = EXCLUDED.score, value = EXCLUDED.value, seq = EXCLUDED.seq, answered_at = EXCLUDED.answered_at
      WHERE answers.seq < EXCLUDED.seq`;
}
