import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import type { CountScope, CriterionCountRow, OptionCountRow, ResponseCountRow, ScoringCounts } from './count-types.js';
import { criterionBindings, optionQuestions } from './index-bindings.js';
import { rawCriterionCountsSql, rawOptionCountsSql, rawResponseCountsSql } from './raw-count-sql.js';
import type { SqlClient } from './sql-client.js';

/**
 * Raw path: the same counts as `loadRollupCounts`, computed from `answers` joined to
 * completed `responses` (cost grows with the number of answers). Used to verify the
 * rollups and as a fallback; criterion and option questions are taken from `definition`.
 */
export async function loadRawCounts(
  db: SqlClient,
  scope: CountScope,
  definition: Pick<QuestionnaireDefinition, 'index' | 'questions'>,
): Promise<ScoringCounts> {
  const bindings = criterionBindings(definition);
  const optionCodes = optionQuestions(definition).map((q) => q.code);
  const [responses, criteria, options] = await Promise.all([
    db.$queryRaw<ResponseCountRow[]>`SELECT unit_id AS "unitId", responses
      FROM (${rawResponseCountsSql(scope, false)}) t ORDER BY 1`,
    db.$queryRaw<CriterionCountRow[]>`SELECT unit_id AS "unitId", criterion_code AS "criterionCode", c1, c2, c3, c4, c5, c_na AS na
      FROM (${rawCriterionCountsSql(scope, bindings, false)}) t ORDER BY 1, 2`,
    db.$queryRaw<OptionCountRow[]>`SELECT unit_id AS "unitId", question_code AS "questionCode", option, count
      FROM (${rawOptionCountsSql(scope, optionCodes, false)}) t ORDER BY 1, 2, 3`,
  ]);
  return { responses, criteria, options };
}
