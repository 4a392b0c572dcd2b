import { Prisma } from '../db/prisma-client.js';
import type { CountScope } from './count-types.js';
import type { CriterionBinding } from './index-bindings.js';
import { ALL_SEGMENTS, ANSWERED_OPTION, NA_OPTION, SEGMENT_FLAGGED, SEGMENT_INVITED, SEGMENT_TEST } from './rollup-keys.js';

/*
 * SQL over raw answers, shared by the raw-answer report path (summed over the period)
 * `rebuildRollups` (per completion day and segment) and `verifyRollups` (per month). Only
 * completed, counted responses with a unit and a completion day count: exactly those the
 * answers worker rolls up, in the segment it rolls them up under.
 */

/**
 * The rollup segment of a response row `r` (the SQL twin of `segmentOf`). Constants are
 * inlined, not bound: PostgreSQL matches a GROUP BY expression to its SELECT twin only
 * when both are textually the same, and two bind parameters never are.
 */
export const SEGMENT_SQL = Prisma.raw(
  `((CASE WHEN r.source = 'invited' THEN ${Number(SEGMENT_INVITED)} ELSE 0 END) | (CASE WHEN cardinality(r.quality_flags) > 0 THEN ${Number(SEGMENT_FLAGGED)} ELSE 0 END) | (CASE WHEN r.is_test THEN ${Number(SEGMENT_TEST)} ELSE 0 END))`,
);

/** Per completion day and segment (columns `day`, `segment`, as rollups are kept), per completion month (column `month`, its first day), or summed over the scope. */
export type RawPer = 'day' | 'month' | null;

const MONTH = Prisma.sql`date_trunc('month', r.completed_day::timestamp)::date`;
const periodColumn = (per: RawPer) => (per === 'day' ? Prisma.sql`, r.completed_day AS day, ${SEGMENT_SQL} AS segment` : per === 'month' ? Prisma.sql`, ${MONTH} AS month` : Prisma.empty);
const periodGroup = (per: RawPer) => (per === 'day' ? Prisma.sql`, r.completed_day, ${SEGMENT_SQL}` : per === 'month' ? Prisma.sql`, ${MONTH}` : Prisma.empty);

/** `FROM responses r JOIN units u … WHERE <scope>` */
function fromResponses(scope: CountScope, joins: Prisma.Sql = Prisma.empty): Prisma.Sql {
  const from = scope.from ?? null;
  const to = scope.to ?? null;
  const group = scope.group ?? null;
  const segments = [...(scope.segments ?? ALL_SEGMENTS)];
  return Prisma.sql`FROM responses r JOIN units u ON u.id = r.unit_id ${joins}
    WHERE r.questionnaire_id = ${scope.questionnaireId} AND r.status = 'completed' AND r.counted AND r.completed_day IS NOT NULL
      AND ${SEGMENT_SQL} = ANY(${segments}::int[])
      AND (${from}::date IS NULL OR r.completed_day >= ${from}::date)
      AND (${to}::date IS NULL OR r.completed_day <= ${to}::date)
      AND (${group}::text IS NULL OR u."group" = ${group}::text)`;
}

/** Columns: unit_id, segment, responses: every segment and every group, whatever the scope's (see `ScoringCounts.segments`). */
export function rawSegmentCountsSql(scope: CountScope): Prisma.Sql {
  return Prisma.sql`SELECT r.unit_id, ${SEGMENT_SQL} AS segment, COUNT(*)::int AS responses
    ${fromResponses({ ...scope, group: null, segments: ALL_SEGMENTS })} GROUP BY r.unit_id, ${SEGMENT_SQL}`;
}

/** Columns: unit_id, [day, segment | month], responses. */
export function rawResponseCountsSql(scope: CountScope, per: RawPer): Prisma.Sql {
  return Prisma.sql`SELECT r.unit_id ${periodColumn(per)}, COUNT(*)::int AS responses
    ${fromResponses(scope)} GROUP BY r.unit_id ${periodGroup(per)}`;
}

/** Columns: unit_id, criterion_code, [day | month], c1…c5, c_na; all-zero rows left out. */
export function rawCriterionCountsSql(scope: CountScope, bindings: CriterionBinding[], per: RawPer): Prisma.Sql {
  const questions = bindings.map((b) => b.questionCode);
  const criteria = bindings.map((b) => b.criterionCode);
  const level = (n: number) => Prisma.sql`COUNT(*) FILTER (WHERE a.status = 'answered' AND a.score = ${n}::int)::int`;
  const joins = Prisma.sql`JOIN answers a ON a.response_id = r.id
    JOIN unnest(${questions}::text[], ${criteria}::text[]) AS m(question_code, criterion_code) ON m.question_code = a.question_code`;
  return Prisma.sql`SELECT r.unit_id, m.criterion_code ${periodColumn(per)},
      ${level(1)} AS c1, ${level(2)} AS c2, ${level(3)} AS c3, ${level(4)} AS c4, ${level(5)} AS c5,
      COUNT(*) FILTER (WHERE a.status = 'not_applicable')::int AS c_na
    ${fromResponses(scope, joins)}
    GROUP BY r.unit_id, m.criterion_code ${periodGroup(per)}
    HAVING COUNT(*) FILTER (WHERE a.status = 'not_applicable' OR (a.status = 'answered' AND a.score BETWEEN 1 AND 5)) > 0`;
}

/**
 * Columns: unit_id, question_code, option, [day | month], count. The SQL twin of `optionKeysOf`:
 * "na" for not applicable; for answered: "__answered", then the score as text if there
 * is one, else each scalar of `value` (an array's elements, or the value itself),
 * booleans as "yes"/"no".
 */
export function rawOptionCountsSql(scope: CountScope, questionCodes: string[], per: RawPer): Prisma.Sql {
  const joins = Prisma.sql`JOIN answers a ON a.response_id = r.id
    CROSS JOIN LATERAL (
      SELECT ${NA_OPTION}::text WHERE a.status = 'not_applicable'
      UNION ALL SELECT ${ANSWERED_OPTION}::text WHERE a.status = 'answered'
      UNION ALL SELECT a.score::text WHERE a.status = 'answered' AND a.score IS NOT NULL
      UNION ALL SELECT CASE jsonb_typeof(e.v) WHEN 'boolean' THEN (CASE WHEN e.v = 'true'::jsonb THEN 'yes' ELSE 'no' END) ELSE e.v #>> '{}' END
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(a.value) = 'array' THEN a.value ELSE jsonb_build_array(a.value) END) AS e(v)
        WHERE a.status = 'answered' AND a.score IS NULL AND jsonb_typeof(e.v) IN ('string', 'number', 'boolean')
    ) AS k(option)`;
  return Prisma.sql`SELECT r.unit_id, a.question_code, k.option ${periodColumn(per)}, COUNT(*)::int AS count
    ${fromResponses(scope, joins)} AND a.question_code = ANY(${questionCodes}::text[])
    GROUP BY r.unit_id, a.question_code, k.option ${periodGroup(per)}`;
}
