import type { Db } from '../db/prisma-client.js';
import { compareCounts, type CountDifference } from './compare-counts.js';
import type { CountScope, ScoringCounts } from './count-types.js';
import { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { loadRawCounts, loadRawMonthlyCounts } from './load-raw-counts.js';
import { loadMonthlyRollupCounts, loadRollupCounts } from './load-rollup-counts.js';
import { ALL_SEGMENTS } from './rollup-keys.js';

const EMPTY: ScoringCounts = { responses: [], criteria: [], options: [] };
const firstOfMonth = (day: string) => `${day.slice(0, 7)}-01`;
function lastOfMonth(day: string): string {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * Computes a questionnaire's counts both from the rollups and from the raw answers, in
 * one REPEATABLE READ transaction (one snapshot, so concurrent answers cannot cause a
 * false mismatch), and returns every difference; an empty list means they agree
 * exactly. Two checks: the daily rollups summed over the scope against the raw answers
 * of the scope, and every monthly rollup row of the months the scope touches (whole
 * months, also where the scope covers only part of one) against the raw answers of that
 * month — differences of the latter carry `month`. Together they cover everything a
 * report reads (whole months from the monthly tables, edge days from the daily ones).
 * `scope` may limit the period and the unit group.
 */
export async function verifyRollups(db: Db, scope: CountScope, options: { timeoutMs?: number; catalog?: QuestionnaireCatalog } = {}): Promise<CountDifference[]> {
  const { definition } = await (options.catalog ?? new QuestionnaireCatalog(db)).byRowId(scope.questionnaireId);
  const from = scope.from ?? null;
  const to = scope.to ?? null;
  // Segment by segment: a response counted under the wrong source or quality is a difference too.
  const segmentLabel = (segment: number, d: CountDifference): CountDifference => ({ ...d, segment });
  return db.$transaction(
    async (tx) => {
      const out: CountDifference[] = [];
      for (const segment of scope.segments ?? ALL_SEGMENTS) {
        const one = { ...scope, segments: [segment] };
        out.push(...compareCounts(await loadRollupCounts(tx, one, { monthly: false }), await loadRawCounts(tx, one, definition)).map((d) => segmentLabel(segment, d)));
        if (from !== null && to !== null && from > to) continue;
        const monthly = await loadMonthlyRollupCounts(tx, one, { from: from && firstOfMonth(from), to: to && firstOfMonth(to) });
        const raw = await loadRawMonthlyCounts(tx, { ...one, from: from && firstOfMonth(from), to: to && lastOfMonth(to) }, definition);
        const months = [...new Set([...monthly.keys(), ...raw.keys()])].sort();
        for (const month of months) {
          for (const d of compareCounts(monthly.get(month) ?? EMPTY, raw.get(month) ?? EMPTY)) {
            out.push(segmentLabel(segment, { ...d, key: `${d.key ? `${d.key} ` : ''}[month ${month.slice(0, 7)}]`, month }));
          }
        }
      }
      return out;
    },
    { isolationLevel: 'RepeatableRead', timeout: options.timeoutMs ?? 600_000, maxWait: 30_000 },
  );
}
