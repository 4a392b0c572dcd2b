import { Prisma } from '../db/prisma-client.js';
import type { CountScope, CriterionCountRow, OptionCountRow, ScoringCounts } from './count-types.js';
import { RESPONSES_OPTION, RESPONSES_QUESTION } from './rollup-keys.js';
import type { SqlClient } from './sql-client.js';

/** WHERE clause over a rollup table aliased `t` joined to `units u`. */
function rollupWhere(scope: CountScope): Prisma.Sql {
  const from = scope.from ?? null;
  const to = scope.to ?? null;
  const group = scope.group ?? null;
  return Prisma.sql`t.questionnaire_id = ${scope.questionnaireId}
    AND (${from}::date IS NULL OR t.day >= ${from}::date)
    AND (${to}::date IS NULL OR t.day <= ${to}::date)
    AND (${group}::text IS NULL OR u."group" = ${group}::text)`;
}

/**
 * Fast path: counts for a report from the rollups kept by the answers worker, summed
 * over the period's days with one GROUP BY per table. The cost depends on units ×
 * criteria × days, never on the number of responses. Response counts per unit come
 * from the "__responses"/"all" rows of `option_rollups` (see rollup-keys.ts).
 * Rows whose counts are all zero are left out (as in the raw path).
 */
export async function loadRollupCounts(db: SqlClient, scope: CountScope): Promise<ScoringCounts> {
  const where = rollupWhere(scope);
  const [criteria, options] = await Promise.all([
    db.$queryRaw<CriterionCountRow[]>`
      SELECT t.unit_id AS "unitId", t.criterion_code AS "criterionCode",
        SUM(t.c1)::int AS c1, SUM(t.c2)::int AS c2, SUM(t.c3)::int AS c3,
        SUM(t.c4)::int AS c4, SUM(t.c5)::int AS c5, SUM(t.c_na)::int AS na
      FROM criterion_rollups t JOIN units u ON u.id = t.unit_id
      WHERE ${where}
      GROUP BY t.unit_id, t.criterion_code
      HAVING SUM(t.c1 + t.c2 + t.c3 + t.c4 + t.c5 + t.c_na) > 0
      ORDER BY 1, 2`,
    db.$queryRaw<OptionCountRow[]>`
      SELECT t.unit_id AS "unitId", t.question_code AS "questionCode", t.option, SUM(t.count)::int AS count
      FROM option_rollups t JOIN units u ON u.id = t.unit_id
      WHERE ${where}
      GROUP BY t.unit_id, t.question_code, t.option
      HAVING SUM(t.count) > 0
      ORDER BY 1, 2, 3`,
  ]);
  const isMarker = (r: OptionCountRow) => r.questionCode === RESPONSES_QUESTION && r.option === RESPONSES_OPTION;
  return {
    responses: options.filter(isMarker).map((r) => ({ unitId: r.unitId, responses: r.count })),
    criteria,
    options: options.filter((r) => !isMarker(r)),
  };
}
