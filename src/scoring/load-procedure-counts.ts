import { Prisma } from '../db/prisma-client.js';
import type { RawSql } from '../db/sql-pool.js';
import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import type { ProcedureCriterionRow } from './build-procedure-report.js';
import type { CountScope } from './count-types.js';
import { criterionBindings } from './index-bindings.js';
import { SEGMENT_SQL } from './raw-count-sql.js';
import { ALL_SEGMENTS } from './rollup-keys.js';
import { NO_PROCEDURE, type ProcedureCell } from './suppress-procedure-table.js';

/*
 * Per-procedure counts from the raw answers: rollups have no procedure dimension. The
 * responses are those `raw-count-sql.ts` counts (completed, counted, with a unit and a
 * completion day, in the scope's segments); the cell counts read only the partial index
 * `responses_procedure_report_idx`.
 */

// Grouped by position: PostgreSQL matches a GROUP BY expression to its SELECT twin only when both are the same text, and two bind parameters never are.
const PROCEDURE_SQL = Prisma.sql`COALESCE(r.procedure_code, ${NO_PROCEDURE}::text)`;

function whereResponses(scope: CountScope, unitId: number | null): Prisma.Sql {
  const segments = [...(scope.segments ?? ALL_SEGMENTS)];
  return Prisma.sql`WHERE r.questionnaire_id = ${scope.questionnaireId} AND r.status = 'completed' AND r.counted
      AND r.completed_day IS NOT NULL AND r.unit_id IS NOT NULL
      AND (${scope.from ?? null}::date IS NULL OR r.completed_day >= ${scope.from ?? null}::date)
      AND (${scope.to ?? null}::date IS NULL OR r.completed_day <= ${scope.to ?? null}::date)
      AND ${SEGMENT_SQL} = ANY(${segments}::int[])
      AND (${unitId}::int IS NULL OR r.unit_id = ${unitId}::int)`;
}

/** Counted responses per unit and procedure (every unit: suppression is decided over all of them). */
export async function loadProcedureCells(db: RawSql, scope: CountScope): Promise<ProcedureCell[]> {
  return db.$queryRaw<ProcedureCell[]>`SELECT r.unit_id AS "unitId", ${PROCEDURE_SQL} AS procedure, COUNT(*)::int AS responses
    FROM responses r ${whereResponses(scope, null)}
    GROUP BY 1, 2`;
}

/** Likert counts per procedure and criterion of one unit (or of every unit, `unitId` null). */
export async function loadProcedureCriteria(
  db: RawSql,
  scope: CountScope,
  unitId: number | null,
  definition: Pick<QuestionnaireDefinition, 'index'>,
): Promise<ProcedureCriterionRow[]> {
  const bindings = criterionBindings(definition);
  const level = (n: number) => Prisma.sql`COUNT(*) FILTER (WHERE a.status = 'answered' AND a.score = ${n}::int)::int`;
  return db.$queryRaw<ProcedureCriterionRow[]>`SELECT ${PROCEDURE_SQL} AS procedure, m.criterion_code AS "criterionCode",
      ${level(1)} AS c1, ${level(2)} AS c2, ${level(3)} AS c3, ${level(4)} AS c4, ${level(5)} AS c5,
      COUNT(*) FILTER (WHERE a.status = 'not_applicable')::int AS na
    FROM responses r JOIN answers a ON a.response_id = r.id
      JOIN unnest(${bindings.map((b) => b.questionCode)}::text[], ${bindings.map((b) => b.criterionCode)}::text[]) AS m(question_code, criterion_code) ON m.question_code = a.question_code
    ${whereResponses(scope, unitId)}
    GROUP BY 1, 2`;
}
