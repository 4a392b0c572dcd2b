import { Prisma } from '../db/prisma-client.js';
import { sortCounts, type CountScope, type CriterionCountRow, type OptionCountRow, type ScoringCounts, type SegmentCountRow } from './count-types.js';
import { ALL_SEGMENTS, RESPONSES_OPTION, RESPONSES_QUESTION } from './rollup-keys.js';
import type { RawSql } from '../db/sql-pool.js';

/** An inclusive range of days (YYYY-MM-DD); `null` = unbounded. */
export type DayRange = { from: string | null; to: string | null };

/**
 * How a period is read: whole months from the monthly tables (`months`: first days of
 * the first and last whole month, `null` = unbounded; absent when there is none), the
 * rest — the partial months at the edges — from the daily tables (`days`).
 */
export type PeriodPlan = { months: DayRange | null; days: DayRange[] };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a YYYY-MM-DD string; undefined unless it is a real calendar day. */
function dayNumber(s: string): number | undefined {
  const m = DAY.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return t / 86_400_000;
}
const dayString = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
/** First day of the month `add` months after the month of day number `n`. */
function monthStart(n: number, add = 0): number {
  const d = new Date(n * 86_400_000);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1) / 86_400_000;
}

/**
 * Splits [from, to] into leading days, whole months and trailing days. Bounds that are
 * not calendar days (YYYY-MM-DD) are left to the daily tables unchanged, so PostgreSQL
 * treats them exactly as before monthly rollups existed.
 */
export function splitPeriod(from: string | null, to: string | null): PeriodPlan {
  const f = from === null ? null : dayNumber(from);
  const t = to === null ? null : dayNumber(to);
  if (f === undefined || t === undefined || (f !== null && t !== null && f > t)) return { months: null, days: [{ from, to }] };
  // First whole month: the month of `from` if it starts on its 1st, else the next one.
  const first = f === null ? null : monthStart(f) === f ? f : monthStart(f, 1);
  // Last whole month: the month of `to` if it ends on its last day, else the previous one.
  const last = t === null ? null : monthStart(t + 1) !== monthStart(t) ? monthStart(t) : monthStart(t, -1);
  if (first !== null && last !== null && first > last) return { months: null, days: [{ from, to }] };
  const days: DayRange[] = [];
  if (f !== null && first !== null && f < first) days.push({ from: dayString(f), to: dayString(first - 1) });
  if (t !== null && last !== null && t >= monthStart(last, 1)) days.push({ from: dayString(monthStart(last, 1)), to: dayString(t) });
  return { months: { from: first === null ? null : dayString(first), to: last === null ? null : dayString(last) }, days };
}

type Table = { daily: string; monthly: string; columns: string };
const CRITERIA: Table = { daily: 'criterion_rollups', monthly: 'criterion_rollups_monthly', columns: 'unit_id, criterion_code, c1, c2, c3, c4, c5, c_na' };
const OPTIONS: Table = { daily: 'option_rollups', monthly: 'option_rollups_monthly', columns: 'unit_id, question_code, option, count' };
const SEGMENTS: Table = { ...OPTIONS, columns: 'unit_id, segment, count' };

/** `column` within the range; TRUE when unbounded. */
function inRange(column: string, range: DayRange): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (range.from !== null) conditions.push(Prisma.sql`${Prisma.raw(column)} >= ${range.from}::date`);
  if (range.to !== null) conditions.push(Prisma.sql`${Prisma.raw(column)} <= ${range.to}::date`);
  return conditions.length > 0 ? Prisma.sql`(${Prisma.join(conditions, ' AND ')})` : Prisma.sql`TRUE`;
}

/**
 * The rows of one rollup kind for the period: monthly rows for whole months, UNION ALL
 * daily rows for the edges (both edges in one SELECT, so the daily table is read once).
 */
function periodRows(table: Table, scope: CountScope, plan: PeriodPlan, extra: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  const columns = Prisma.raw(table.columns);
  const segments = [...(scope.segments ?? ALL_SEGMENTS)];
  const where = Prisma.sql`questionnaire_id = ${scope.questionnaireId} AND segment = ANY(${segments}::int[]) AND ${extra}`;
  const parts: Prisma.Sql[] = [];
  if (plan.months) {
    parts.push(Prisma.sql`SELECT ${columns} FROM ${Prisma.raw(table.monthly)} WHERE ${where} AND ${inRange('month', plan.months)}`);
  }
  if (plan.days.length > 0) {
    const days = Prisma.join(plan.days.map((d) => inRange('day', d)), ' OR ');
    parts.push(Prisma.sql`SELECT ${columns} FROM ${Prisma.raw(table.daily)} WHERE ${where} AND (${days})`);
  }
  return Prisma.join(parts, ' UNION ALL ');
}

/** Units of the group only; no join at all without a group (every rollup row has a unit). */
const groupJoin = (scope: CountScope) =>
  scope.group != null ? Prisma.sql`JOIN units u ON u.id = t.unit_id AND u."group" = ${scope.group}::text` : Prisma.empty;

/**
 * The two queries of `loadRollupCounts`. Each returns its groups as one JSON array of
 * arrays: decoding ~15,000 rows field by field through the driver cost more than the
 * aggregation itself (about 40 ms per query at 700 units, measured on the 1M-response
 * benchmark), JSON.parse of one value a few ms.
 */
function rollupCountQueries(scope: CountScope, options: RollupCountOptions = {}): { criteria: Prisma.Sql; options: Prisma.Sql; segments: Prisma.Sql } {
  const from = scope.from ?? null;
  const to = scope.to ?? null;
  const plan: PeriodPlan = options.monthly === false ? { months: null, days: [{ from, to }] } : splitPeriod(from, to);
  return {
    criteria: Prisma.sql`
      SELECT COALESCE(json_agg(json_build_array(unit_id, criterion_code, c1, c2, c3, c4, c5, na)), '[]') AS rows FROM (
        SELECT t.unit_id, t.criterion_code, SUM(t.c1)::int AS c1, SUM(t.c2)::int AS c2, SUM(t.c3)::int AS c3,
          SUM(t.c4)::int AS c4, SUM(t.c5)::int AS c5, SUM(t.c_na)::int AS na
        FROM (${periodRows(CRITERIA, scope, plan)}) t ${groupJoin(scope)}
        GROUP BY t.unit_id, t.criterion_code
        -- A sum of the sums above: PostgreSQL computes each aggregate once.
        HAVING SUM(t.c1) + SUM(t.c2) + SUM(t.c3) + SUM(t.c4) + SUM(t.c5) + SUM(t.c_na) > 0
      ) g`,
    options: Prisma.sql`
      SELECT COALESCE(json_agg(json_build_array(unit_id, question_code, option, count)), '[]') AS rows FROM (
        SELECT t.unit_id, t.question_code, t.option, SUM(t.count)::int AS count
        FROM (${periodRows(OPTIONS, scope, plan, options.optionShares === false ? Prisma.sql`question_code = ${RESPONSES_QUESTION}` : Prisma.sql`TRUE`)}) t ${groupJoin(scope)}
        GROUP BY t.unit_id, t.question_code, t.option
        HAVING SUM(t.count) > 0
      ) g`,
    // Responses per unit and segment, every segment and every group: what the report says
    // about sources and exclusions, and what its withheld cells are decided on.
    segments: Prisma.sql`
      SELECT COALESCE(json_agg(json_build_array(unit_id, segment, count)), '[]') AS rows FROM (
        SELECT t.unit_id, t.segment, SUM(t.count)::int AS count
        FROM (${periodRows(SEGMENTS, { ...scope, segments: ALL_SEGMENTS }, plan, Prisma.sql`question_code = ${RESPONSES_QUESTION} AND option = ${RESPONSES_OPTION}`)}) t
        GROUP BY t.unit_id, t.segment
        HAVING SUM(t.count) > 0
      ) g`,
  };
}

/**
 * `monthly: false` reads days only (to verify the daily tables); `optionShares: false` reads
 * the response counts but no option counts (a caller that needs indices only, e.g. trends).
 */
export type RollupCountOptions = { monthly?: boolean; optionShares?: boolean };

type CriterionTuple = [number, string, number, number, number, number, number, number];
type OptionTuple = [number, string, string, number];
/** A JSON column as the driver hands it over (parsed, or text with some adapters). */
const jsonRows = <T>(value: unknown): T[] => (typeof value === 'string' ? (JSON.parse(value) as T[]) : (value as T[]));

/**
 * Fast path: counts for a report from the rollups kept by the answers worker. The period
 * is read as whole months from the monthly tables plus the partial months at its edges
 * from the daily tables (see `splitPeriod`), summed with one GROUP BY per table: a year
 * is at most 12 monthly rows per unit × criterion/option instead of 365 daily ones. The
 * cost depends on units × criteria × (months + edge days), never on the number of
 * responses. Response counts per unit come from the "__responses"/"all" rows of
 * `option_rollups` (see rollup-keys.ts). Rows whose counts are all zero are left out
 * (as in the raw path); rows are sorted as by `sortCounts`. `monthly: false` reads days
 * only (to verify the daily tables).
 */
export async function loadRollupCounts(db: RawSql, scope: CountScope, options: RollupCountOptions = {}): Promise<ScoringCounts> {
  const queries = rollupCountQueries(scope, options);
  const [criteriaResult, optionsResult, segmentsResult] = await Promise.all([
    db.$queryRaw<{ rows: unknown }[]>(queries.criteria),
    db.$queryRaw<{ rows: unknown }[]>(queries.options),
    db.$queryRaw<{ rows: unknown }[]>(queries.segments),
  ]);
  const criteria: CriterionCountRow[] = jsonRows<CriterionTuple>(criteriaResult[0]?.rows ?? []).map(([unitId, criterionCode, c1, c2, c3, c4, c5, na]) => ({
    unitId,
    criterionCode,
    c1,
    c2,
    c3,
    c4,
    c5,
    na,
  }));
  const segments: SegmentCountRow[] = jsonRows<[number, number, number]>(segmentsResult[0]?.rows ?? []).map(([unitId, segment, responses]) => ({ unitId, segment, responses }));
  const counts: ScoringCounts = { responses: [], criteria, options: [], segments };
  for (const [unitId, questionCode, option, count] of jsonRows<OptionTuple>(optionsResult[0]?.rows ?? [])) {
    if (questionCode === RESPONSES_QUESTION && option === RESPONSES_OPTION) counts.responses.push({ unitId, responses: count });
    else counts.options.push({ unitId, questionCode, option, count });
  }
  return sortCounts(counts);
}

/** The monthly rows of the months in `range` (first days of months, inclusive), per month (YYYY-MM-DD keys): for verification. */
export async function loadMonthlyRollupCounts(db: RawSql, scope: CountScope, range: DayRange): Promise<Map<string, ScoringCounts>> {
  const segments = [...(scope.segments ?? ALL_SEGMENTS)];
  const monthRows = (table: Table) =>
    Prisma.sql`SELECT ${Prisma.raw(table.columns)}, to_char(month, 'YYYY-MM-DD') AS month FROM ${Prisma.raw(table.monthly)}
      WHERE questionnaire_id = ${scope.questionnaireId} AND segment = ANY(${segments}::int[]) AND ${inRange('month', range)}`;
  const [criteria, optionRows] = await Promise.all([
    db.$queryRaw<(CriterionCountRow & { month: string })[]>`
      SELECT t.unit_id AS "unitId", t.criterion_code AS "criterionCode", t.c1, t.c2, t.c3, t.c4, t.c5, t.c_na AS na, t.month
      FROM (${monthRows(CRITERIA)}) t ${groupJoin(scope)}`,
    db.$queryRaw<(OptionCountRow & { month: string })[]>`
      SELECT t.unit_id AS "unitId", t.question_code AS "questionCode", t.option, t.count, t.month
      FROM (${monthRows(OPTIONS)}) t ${groupJoin(scope)}`,
  ]);
  const out = new Map<string, ScoringCounts>();
  const of = (month: string) => {
    let counts = out.get(month);
    if (!counts) out.set(month, (counts = { responses: [], criteria: [], options: [] }));
    return counts;
  };
  for (const { month, ...r } of criteria) of(month).criteria.push(r);
  for (const { month, ...r } of optionRows) {
    if (r.questionCode === RESPONSES_QUESTION && r.option === RESPONSES_OPTION) of(month).responses.push({ unitId: r.unitId, responses: r.count });
    else of(month).options.push(r);
  }
  return out;
}
