import type { Db } from '../db/prisma-client.js';
import { criterionBindings, optionQuestions } from './index-bindings.js';
import { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { rawCriterionCountsSql, rawOptionCountsSql, rawResponseCountsSql } from './raw-count-sql.js';
import { RESPONSES_OPTION, RESPONSES_QUESTION } from './rollup-keys.js';

export type RebuildResult = { criterionRows: number; optionRows: number; monthlyCriterionRows: number; monthlyOptionRows: number };

/**
 * Recomputes every rollup row of one questionnaire from the raw answers of completed
 * responses, in SQL, in one transaction (all days, all units): the daily rows from the
 * answers, then the monthly rows as sums of the daily ones. The rollup tables are
 * locked EXCLUSIVE meanwhile (reads go on; the answers worker's increments wait and
 * land after the rebuild, so none is lost or counted twice).
 * `timeoutMs` bounds the transaction (default 10 minutes).
 */
export async function rebuildRollups(db: Db, questionnaireId: number, options: { timeoutMs?: number; catalog?: QuestionnaireCatalog } = {}): Promise<RebuildResult> {
  const { definition } = await (options.catalog ?? new QuestionnaireCatalog(db)).byRowId(questionnaireId);
  const scope = { questionnaireId };
  const bindings = criterionBindings(definition);
  const optionCodes = optionQuestions(definition).map((q) => q.code);
  return db.$transaction(
    async (tx) => {
      // The order applyRollupIncrements writes them in: no deadlock with a worker's transaction.
      await tx.$executeRaw`LOCK TABLE criterion_rollups, criterion_rollups_monthly, option_rollups, option_rollups_monthly IN EXCLUSIVE MODE`;
      await tx.$executeRaw`DELETE FROM criterion_rollups WHERE questionnaire_id = ${questionnaireId}`;
      await tx.$executeRaw`DELETE FROM criterion_rollups_monthly WHERE questionnaire_id = ${questionnaireId}`;
      await tx.$executeRaw`DELETE FROM option_rollups WHERE questionnaire_id = ${questionnaireId}`;
      await tx.$executeRaw`DELETE FROM option_rollups_monthly WHERE questionnaire_id = ${questionnaireId}`;
      // Inserted in day order, the layout the worker's day-by-day inserts give: a report's
      // edge days then read a few pages through the (questionnaire_id, day) index.
      const criterionRows = await tx.$executeRaw`
        INSERT INTO criterion_rollups (questionnaire_id, unit_id, criterion_code, day, segment, c1, c2, c3, c4, c5, c_na)
        SELECT ${questionnaireId}, unit_id, criterion_code, day, segment, c1, c2, c3, c4, c5, c_na
        FROM (${rawCriterionCountsSql(scope, bindings, 'day')}) t
        ORDER BY day, unit_id, criterion_code, segment`;
      const optionRows = await tx.$executeRaw`
        INSERT INTO option_rollups (questionnaire_id, unit_id, question_code, option, day, segment, count)
        SELECT ${questionnaireId}, unit_id, question_code, option, day, segment, count
        FROM (
          SELECT unit_id, question_code, option, day, segment, count FROM (${rawOptionCountsSql(scope, optionCodes, 'day')}) o
          UNION ALL
          SELECT unit_id, ${RESPONSES_QUESTION}, ${RESPONSES_OPTION}, day, segment, responses FROM (${rawResponseCountsSql(scope, 'day')}) r
        ) t
        ORDER BY day, unit_id, question_code, option, segment`;
      // Same aggregation as the migration's backfill (20261122100000_monthly_rollups).
      const monthlyCriterionRows = await tx.$executeRaw`
        INSERT INTO criterion_rollups_monthly (questionnaire_id, unit_id, criterion_code, month, segment, c1, c2, c3, c4, c5, c_na)
        SELECT questionnaire_id, unit_id, criterion_code, date_trunc('month', day::timestamp)::date, segment,
          SUM(c1)::int, SUM(c2)::int, SUM(c3)::int, SUM(c4)::int, SUM(c5)::int, SUM(c_na)::int
        FROM criterion_rollups WHERE questionnaire_id = ${questionnaireId}
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 4, 2, 3, 5`;
      const monthlyOptionRows = await tx.$executeRaw`
        INSERT INTO option_rollups_monthly (questionnaire_id, unit_id, question_code, option, month, segment, count)
        SELECT questionnaire_id, unit_id, question_code, option, date_trunc('month', day::timestamp)::date, segment, SUM(count)::int
        FROM option_rollups WHERE questionnaire_id = ${questionnaireId}
        GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 5, 2, 3, 4, 6`;
      return { criterionRows, optionRows, monthlyCriterionRows, monthlyOptionRows };
    },
    { timeout: options.timeoutMs ?? 600_000, maxWait: 30_000 },
  );
}
