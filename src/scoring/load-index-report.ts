import type { Db } from '../db/prisma-client.js';
import { buildIndexReport, DEFAULT_MIN_CELL } from './build-index-report.js';
import type { CountScope } from './count-types.js';
import { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { loadRawCounts } from './load-raw-counts.js';
import { loadRollupCounts } from './load-rollup-counts.js';
import type { IndexReport } from './report-schema.js';
import type { RawSql } from '../db/sql-pool.js';
import type { RankOn } from './rank-units.js';
import type { TotalRule } from './unit-totals.js';

export type IndexReportQuery = CountScope & {
  /** Minimum completed responses for a unit's breakdown (default 5; the app passes REPORT_MIN_CELL). */
  minCell?: number;
  /** "rollups" (default, the fast path) or "raw" (recomputed from answers). */
  source?: 'rollups' | 'raw';
  generatedAt?: Date;
  /** Where the rollup queries run (default `db`): the app passes its node-postgres pool, which decodes the large results faster. */
  rollupsVia?: RawSql;
  /** The process's catalog (default: one of its own, uncached). */
  catalog?: QuestionnaireCatalog;
  /** Totals as the mean of unit indices (default) or pooled answers; see `buildIndexReport`. */
  totals?: TotalRule;
  rankOn?: RankOn;
};

/**
 * Reads counts (rollups by default) and units, and builds the index report. Units listed:
 * every active unit in scope, plus inactive ones that have responses in the period.
 * Throws `QuestionnaireNotFoundError` for an unknown questionnaire id.
 */
export async function loadIndexReport(db: Db, query: IndexReportQuery): Promise<IndexReport> {
  const scope: CountScope = { questionnaireId: query.questionnaireId, from: query.from ?? null, to: query.to ?? null, group: query.group ?? null };
  // The rollup queries need only the questionnaire id: run them alongside the questionnaire
  // and unit reads (one round of queries instead of three in a row).
  const [questionnaire, rollupCounts, unitsInScope] = await Promise.all([
    (query.catalog ?? new QuestionnaireCatalog(db)).byRowId(query.questionnaireId),
    query.source === 'raw' ? undefined : loadRollupCounts(query.rollupsVia ?? db, scope),
    db.unit.findMany({ where: scope.group ? { group: scope.group } : {}, select: { id: true, code: true, name: true, group: true, active: true } }),
  ]);
  const counts = rollupCounts ?? (await loadRawCounts(db, scope, questionnaire.definition));
  const withResponses = new Set(counts.responses.map((r) => r.unitId));
  const units = unitsInScope.filter((u) => u.active || withResponses.has(u.id)).map(({ active: _active, ...u }) => u);
  return buildIndexReport({
    definition: questionnaire.definition,
    units,
    counts,
    period: { from: scope.from ?? null, to: scope.to ?? null },
    group: scope.group ?? null,
    minCell: query.minCell ?? DEFAULT_MIN_CELL,
    ...(query.totals ? { totals: query.totals } : {}),
    ...(query.rankOn ? { rankOn: query.rankOn } : {}),
    ...(query.generatedAt ? { generatedAt: query.generatedAt } : {}),
  });
}
