import { Prisma } from '../db/prisma-client.js';
import type { LikertCounts } from './count-types.js';
import type { RollupIncrements } from './rollup-increments.js';
import type { RawSql } from '../db/sql-pool.js';

export type RollupTarget = {
  questionnaireId: number;
  unitId: number;
  /** Completion day, YYYY-MM-DD (Asia/Ho_Chi_Minh). */
  day: string;
  /** Source and quality of the response (see `segmentOf` in rollup-keys.ts). */
  segment: number;
};
export type RollupEntry = { target: RollupTarget; inc: RollupIncrements };

type CriterionRow = { questionnaireId: number; unitId: number; code: string; period: string; segment: number } & LikertCounts;
type OptionRow = { questionnaireId: number; unitId: number; question: string; option: string; period: string; segment: number; count: number };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** First day of the day's month: completion days are already Asia/Ho_Chi_Minh days. */
export const monthOf = (day: string): string => `${day.slice(0, 7)}-01`;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byCriterionKey = (a: CriterionRow, b: CriterionRow) =>
  a.questionnaireId - b.questionnaireId || a.unitId - b.unitId || cmp(a.code, b.code) || cmp(a.period, b.period) || a.segment - b.segment;
const byOptionKey = (a: OptionRow, b: OptionRow) =>
  a.questionnaireId - b.questionnaireId || a.unitId - b.unitId || cmp(a.question, b.question) || cmp(a.option, b.option) || cmp(a.period, b.period) || a.segment - b.segment;

/** Sums the entries' increments per row key (day or month), sorted by key; all-zero rows dropped. */
function mergeRows(entries: readonly RollupEntry[], periodOf: (day: string) => string): { criteria: CriterionRow[]; options: OptionRow[] } {
  const criteria = new Map<string, CriterionRow>();
  const options = new Map<string, OptionRow>();
  for (const { target, inc } of entries) {
    const { questionnaireId, unitId, segment } = target;
    const period = periodOf(target.day);
    for (const c of inc.criteria) {
      const key = `${questionnaireId}\u0000${unitId}\u0000${c.criterionCode}\u0000${period}\u0000${segment}`;
      let row = criteria.get(key);
      if (!row) criteria.set(key, (row = { questionnaireId, unitId, code: c.criterionCode, period, segment, c1: 0, c2: 0, c3: 0, c4: 0, c5: 0, na: 0 }));
      row.c1 += c.c1;
      row.c2 += c.c2;
      row.c3 += c.c3;
      row.c4 += c.c4;
      row.c5 += c.c5;
      row.na += c.na;
    }
    for (const o of inc.options) {
      const key = `${questionnaireId}\u0000${unitId}\u0000${o.questionCode}\u0000${o.option}\u0000${period}\u0000${segment}`;
      let row = options.get(key);
      if (!row) options.set(key, (row = { questionnaireId, unitId, question: o.questionCode, option: o.option, period, segment, count: 0 }));
      row.count += o.count;
    }
  }
  return {
    criteria: [...criteria.values()].filter((r) => r.c1 || r.c2 || r.c3 || r.c4 || r.c5 || r.na).sort(byCriterionKey),
    options: [...options.values()].filter((r) => r.count).sort(byOptionKey),
  };
}

type Level = { criterionTable: string; optionTable: string; periodColumn: string };
const DAILY: Level = { criterionTable: 'criterion_rollups', optionTable: 'option_rollups', periodColumn: 'day' };
const MONTHLY: Level = { criterionTable: 'criterion_rollups_monthly', optionTable: 'option_rollups_monthly', periodColumn: 'month' };

// ORDER BY the input position: rows are locked in key order, the same in every transaction.
function upsertCriteria(db: RawSql, level: Level, rows: CriterionRow[]): PromiseLike<number> {
  const col = <K extends keyof CriterionRow>(k: K) => rows.map((r) => r[k]);
  const table = Prisma.raw(level.criterionTable);
  const period = Prisma.raw(level.periodColumn);
  return db.$executeRaw`
    INSERT INTO ${table} AS t (questionnaire_id, unit_id, criterion_code, ${period}, segment, c1, c2, c3, c4, c5, c_na)
    SELECT i.q, i.unit, i.code, i.period, i.segment, i.c1, i.c2, i.c3, i.c4, i.c5, i.na
    FROM unnest(${col('questionnaireId')}::int[], ${col('unitId')}::int[], ${col('code')}::text[], ${col('period')}::text[]::date[], ${col('segment')}::smallint[],
      ${col('c1')}::int[], ${col('c2')}::int[], ${col('c3')}::int[], ${col('c4')}::int[], ${col('c5')}::int[], ${col('na')}::int[])
      WITH ORDINALITY AS i(q, unit, code, period, segment, c1, c2, c3, c4, c5, na, ord)
    ORDER BY i.ord
    ON CONFLICT (questionnaire_id, unit_id, criterion_code, ${period}, segment) DO UPDATE SET
      c1 = t.c1 + excluded.c1, c2 = t.c2 + excluded.c2, c3 = t.c3 + excluded.c3,
      c4 = t.c4 + excluded.c4, c5 = t.c5 + excluded.c5, c_na = t.c_na + excluded.c_na`;
}

function upsertOptions(db: RawSql, level: Level, rows: OptionRow[]): PromiseLike<number> {
  const col = <K extends keyof OptionRow>(k: K) => rows.map((r) => r[k]);
  const table = Prisma.raw(level.optionTable);
  const period = Prisma.raw(level.periodColumn);
  return db.$executeRaw`
    INSERT INTO ${table} AS t (questionnaire_id, unit_id, question_code, option, ${period}, segment, count)
    SELECT i.q, i.unit, i.question, i.option, i.period, i.segment, i.count
    FROM unnest(${col('questionnaireId')}::int[], ${col('unitId')}::int[], ${col('question')}::text[], ${col('option')}::text[],
      ${col('period')}::text[]::date[], ${col('segment')}::smallint[], ${col('count')}::int[])
      WITH ORDINALITY AS i(q, unit, question, option, period, segment, count, ord)
    ORDER BY i.ord
    ON CONFLICT (questionnaire_id, unit_id, question_code, option, ${period}, segment) DO UPDATE SET count = t.count + excluded.count`;
}

/**
 * Adds completed responses' increments to the daily and the monthly rollups. Entries
 * with the same key (same questionnaire, unit, criterion/option and day — or month, for
 * the monthly tables) are summed here first, because one upsert statement cannot touch a
 * row twice; then one multi-row upsert per table (INSERT … ON CONFLICT DO UPDATE SET
 * c = c + excluded.c): at most 4 statements whatever the number of entries, none when
 * there is nothing to add. Tables are written in a fixed order and rows in key order, so
 * concurrent transactions lock rows in the same order (no deadlock between them). Run it
 * in the transaction that marks the responses completed, exactly once per response.
 */
export async function applyRollupIncrements(db: RawSql, entries: readonly RollupEntry[]): Promise<void> {
  for (const { target } of entries) {
    if (!DAY.test(target.day)) throw new Error(`rollup day must be YYYY-MM-DD, got ${JSON.stringify(target.day)}`);
  }
  const daily = mergeRows(entries, (day) => day);
  const monthly = mergeRows(entries, monthOf);
  // Same table order in every caller and in rebuildRollups' LOCK TABLE.
  if (daily.criteria.length > 0) await upsertCriteria(db, DAILY, daily.criteria);
  if (monthly.criteria.length > 0) await upsertCriteria(db, MONTHLY, monthly.criteria);
  if (daily.options.length > 0) await upsertOptions(db, DAILY, daily.options);
  if (monthly.options.length > 0) await upsertOptions(db, MONTHLY, monthly.options);
}
