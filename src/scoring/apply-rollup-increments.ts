import type { RollupIncrements } from './rollup-increments.js';
import type { SqlClient } from './sql-client.js';

export type RollupTarget = { questionnaireId: number; unitId: number; /** Completion day, YYYY-MM-DD (Asia/Ho_Chi_Minh). */ day: string };

/**
 * Adds one response's increments to the rollups: one multi-row upsert per table
 * (INSERT … ON CONFLICT DO UPDATE SET c = c + excluded.c). Run it in the transaction
 * that marks the response completed, exactly once per response.
 */
export async function applyRollupIncrements(db: SqlClient, target: RollupTarget, inc: RollupIncrements): Promise<void> {
  const { questionnaireId, unitId, day } = target;
  if (inc.criteria.length > 0) {
    const col = (k: 'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'na') => inc.criteria.map((c) => c[k]);
    await db.$executeRaw`
      INSERT INTO criterion_rollups AS t (questionnaire_id, unit_id, criterion_code, day, c1, c2, c3, c4, c5, c_na)
      SELECT ${questionnaireId}, ${unitId}, i.code, ${day}::date, i.c1, i.c2, i.c3, i.c4, i.c5, i.na
      FROM unnest(${inc.criteria.map((c) => c.criterionCode)}::text[], ${col('c1')}::int[], ${col('c2')}::int[],
        ${col('c3')}::int[], ${col('c4')}::int[], ${col('c5')}::int[], ${col('na')}::int[]) AS i(code, c1, c2, c3, c4, c5, na)
      ON CONFLICT (questionnaire_id, unit_id, criterion_code, day) DO UPDATE SET
        c1 = t.c1 + excluded.c1, c2 = t.c2 + excluded.c2, c3 = t.c3 + excluded.c3,
        c4 = t.c4 + excluded.c4, c5 = t.c5 + excluded.c5, c_na = t.c_na + excluded.c_na`;
  }
  if (inc.options.length > 0) {
    await db.$executeRaw`
      INSERT INTO option_rollups AS t (questionnaire_id, unit_id, question_code, option, day, count)
      SELECT ${questionnaireId}, ${unitId}, i.question, i.option, ${day}::date, i.count
      FROM unnest(${inc.options.map((o) => o.questionCode)}::text[], ${inc.options.map((o) => o.option)}::text[],
        ${inc.options.map((o) => o.count)}::int[]) AS i(question, option, count)
      ON CONFLICT (questionnaire_id, unit_id, question_code, option, day) DO UPDATE SET count = t.count + excluded.count`;
  }
}
