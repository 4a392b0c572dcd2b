import type { Db } from '../db/prisma-client.js';
import { criterionBindings, optionQuestions } from './index-bindings.js';
import { loadQuestionnaire } from './load-questionnaire.js';
import { rawCriterionCountsSql, rawOptionCountsSql, rawResponseCountsSql } from './raw-count-sql.js';
import { RESPONSES_OPTION, RESPONSES_QUESTION } from './rollup-keys.js';

export type RebuildResult = { criterionRows: number; optionRows: number };

/**
 * Recomputes every rollup row of one questionnaire from the raw answers of completed
 * responses, in SQL, in one transaction (all days, all units). The rollup tables are
 * locked EXCLUSIVE meanwhile (reads go on; the answers worker's increments wait and
 * land after the rebuild, so none is lost or counted twice).
 * `timeoutMs` bounds the transaction (default 10 minutes).
 */
export async function rebuildRollups(db: Db, questionnaireId: number, options: { timeoutMs?: number } = {}): Promise<RebuildResult> {
  const { definition } = await loadQuestionnaire(db, questionnaireId);
  const scope = { questionnaireId };
  const bindings = criterionBindings(definition);
  const optionCodes = optionQuestions(definition).map((q) => q.code);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`LOCK TABLE criterion_rollups, option_rollups IN EXCLUSIVE MODE`;
      await tx.$executeRaw`DELETE FROM criterion_rollups WHERE questionnaire_id = ${questionnaireId}`;
      await tx.$executeRaw`DELETE FROM option_rollups WHERE questionnaire_id = ${questionnaireId}`;
      const criterionRows = await tx.$executeRaw`
        INSERT INTO criterion_rollups (questionnaire_id, unit_id, criterion_code, day, c1, c2, c3, c4, c5, c_na)
        SELECT ${questionnaireId}, unit_id, criterion_code, day, c1, c2, c3, c4, c5, c_na
        FROM (${rawCriterionCountsSql(scope, bindings, true)}) t`;
      const optionRows = await tx.$executeRaw`
        INSERT INTO option_rollups (questionnaire_id, unit_id, question_code, option, day, count)
        SELECT ${questionnaireId}, unit_id, question_code, option, day, count
        FROM (${rawOptionCountsSql(scope, optionCodes, true)}) t`;
      const responseRows = await tx.$executeRaw`
        INSERT INTO option_rollups (questionnaire_id, unit_id, question_code, option, day, count)
        SELECT ${questionnaireId}, unit_id, ${RESPONSES_QUESTION}, ${RESPONSES_OPTION}, day, responses
        FROM (${rawResponseCountsSql(scope, true)}) t`;
      return { criterionRows, optionRows: optionRows + responseRows };
    },
    { timeout: options.timeoutMs ?? 600_000, maxWait: 30_000 },
  );
}
