import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { sortCounts, type CountScope, type CriterionCountRow, type OptionCountRow, type ResponseCountRow, type ScoringCounts, type SegmentCountRow } from './count-types.js';
import { criterionBindings, optionQuestions } from './index-bindings.js';
import { rawCriterionCountsSql, rawOptionCountsSql, rawResponseCountsSql, rawSegmentCountsSql } from './raw-count-sql.js';
import type { RawSql } from '../db/sql-pool.js';

/**
 * Raw path: the same counts as `loadRollupCounts`, computed from `answers` joined to
 * completed `responses` (cost grows with the number of answers). Used to verify the
 * rollups and as a fallback; criterion and option questions are taken from `definition`.
 * Rows are sorted as by `sortCounts`.
 */
export async function loadRawCounts(
  db: RawSql,
  scope: CountScope,
  definition: Pick<QuestionnaireDefinition, 'index' | 'questions'>,
): Promise<ScoringCounts> {
  const bindings = criterionBindings(definition);
  const optionCodes = optionQuestions(definition).map((q) => q.code);
  const [responses, criteria, options, segments] = await Promise.all([
    db.$queryRaw<ResponseCountRow[]>`SELECT unit_id AS "unitId", responses
      FROM (${rawResponseCountsSql(scope, null)}) t`,
    db.$queryRaw<CriterionCountRow[]>`SELECT unit_id AS "unitId", criterion_code AS "criterionCode", c1, c2, c3, c4, c5, c_na AS na
      FROM (${rawCriterionCountsSql(scope, bindings, null)}) t`,
    db.$queryRaw<OptionCountRow[]>`SELECT unit_id AS "unitId", question_code AS "questionCode", option, count
      FROM (${rawOptionCountsSql(scope, optionCodes, null)}) t`,
    db.$queryRaw<SegmentCountRow[]>`SELECT unit_id AS "unitId", segment, responses FROM (${rawSegmentCountsSql(scope)}) t`,
  ]);
  return sortCounts({ responses, criteria, options, segments });
}

/**
 * The same counts per completion month (keys: the month's first day, YYYY-MM-DD), for
 * the months of completion days in `scope`: to verify the monthly rollups.
 */
export async function loadRawMonthlyCounts(
  db: RawSql,
  scope: CountScope,
  definition: Pick<QuestionnaireDefinition, 'index' | 'questions'>,
): Promise<Map<string, ScoringCounts>> {
  const bindings = criterionBindings(definition);
  const optionCodes = optionQuestions(definition).map((q) => q.code);
  type Monthly<T> = T & { month: string };
  const [responses, criteria, options] = await Promise.all([
    db.$queryRaw<Monthly<ResponseCountRow>[]>`SELECT unit_id AS "unitId", to_char(month, 'YYYY-MM-DD') AS month, responses
      FROM (${rawResponseCountsSql(scope, 'month')}) t`,
    db.$queryRaw<Monthly<CriterionCountRow>[]>`SELECT unit_id AS "unitId", criterion_code AS "criterionCode", to_char(month, 'YYYY-MM-DD') AS month,
        c1, c2, c3, c4, c5, c_na AS na
      FROM (${rawCriterionCountsSql(scope, bindings, 'month')}) t`,
    db.$queryRaw<Monthly<OptionCountRow>[]>`SELECT unit_id AS "unitId", question_code AS "questionCode", option, to_char(month, 'YYYY-MM-DD') AS month, count
      FROM (${rawOptionCountsSql(scope, optionCodes, 'month')}) t`,
  ]);
  const out = new Map<string, ScoringCounts>();
  const of = (month: string) => {
    let counts = out.get(month);
    if (!counts) out.set(month, (counts = { responses: [], criteria: [], options: [] }));
    return counts;
  };
  for (const { month, ...r } of responses) of(month).responses.push(r);
  for (const { month, ...r } of criteria) of(month).criteria.push(r);
  for (const { month, ...r } of options) of(month).options.push(r);
  return out;
}
