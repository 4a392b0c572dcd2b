import type { Db } from '../db/prisma-client.js';
import { compareCounts, type CountDifference } from './compare-counts.js';
import type { CountScope } from './count-types.js';
import { loadQuestionnaire } from './load-questionnaire.js';
import { loadRawCounts } from './load-raw-counts.js';
import { loadRollupCounts } from './load-rollup-counts.js';

/**
 * Computes a questionnaire's counts both from the rollups and from the raw answers, in
 * one REPEATABLE READ transaction (one snapshot, so concurrent answers cannot cause a
 * false mismatch), and returns every difference; an empty list means the paths agree
 * exactly. `scope` may limit the period and the unit group.
 */
export async function verifyRollups(db: Db, scope: CountScope, options: { timeoutMs?: number } = {}): Promise<CountDifference[]> {
  const { definition } = await loadQuestionnaire(db, scope.questionnaireId);
  return db.$transaction(
    async (tx) => {
      const rollup = await loadRollupCounts(tx, scope);
      const raw = await loadRawCounts(tx, scope, definition);
      return compareCounts(rollup, raw);
    },
    { isolationLevel: 'RepeatableRead', timeout: options.timeoutMs ?? 600_000, maxWait: 30_000 },
  );
}
