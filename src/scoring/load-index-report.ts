import type { Db } from '../db/prisma-client.js';
import { buildIndexReport, DEFAULT_MIN_CELL } from './build-index-report.js';
import type { CountScope } from './count-types.js';
import { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { loadRawCounts } from './load-raw-counts.js';
import { loadRollupCounts } from './load-rollup-counts.js';
import type { IndexReport, ReportFilters } from './report-schema.js';
import { segmentsFor, testAllowed } from './rollup-keys.js';
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
  /** Which responses count (default: all sources, flagged ones included). */
  filters?: ReportFilters;
  /** The named period the range is, for the report's `periodName`. */
  periodName?: string | null;
  /** The province's name for titles (the app passes PROVINCE_NAME). */
  province?: string | null;
  /** `false`: the rollup path reads no option counts, so option shares come out empty (indices only, e.g. for trends; faster). */
  optionShares?: boolean;
};

/**
 * Reads counts (rollups by default) and units, and builds the index report. Units listed:
 * every active unit of the group (or of all groups), plus inactive ones that have
 * responses in the period.
 * Throws `QuestionnaireNotFoundError` for an unknown questionnaire id.
 */
export async function loadIndexReport(db: Db, query: IndexReportQuery): Promise<IndexReport> {
  const filters = query.filters ?? { source: 'all', quality: 'include' };
  const scope: CountScope = { questionnaireId: query.questionnaireId, from: query.from ?? null, to: query.to ?? null, group: query.group ?? null, segments: segmentsFor(filters.source, filters.quality, filters.test) };
  // The rollup queries need only the questionnaire id: run them alongside the questionnaire
  // and unit reads (one round of queries instead of three in a row). Every unit is read,
  // whatever the group: withheld cells are decided over the whole hierarchy.
  const [questionnaire, rollupCounts, allUnits, groups] = await Promise.all([
    (query.catalog ?? new QuestionnaireCatalog(db)).byRowId(query.questionnaireId),
    query.source === 'raw' ? undefined : loadRollupCounts(query.rollupsVia ?? db, scope, { optionShares: query.optionShares !== false }),
    db.unit.findMany({ select: { id: true, code: true, name: true, group: true, active: true } }),
    db.unitGroup.findMany({ select: { code: true, label: true, order: true, rankSeparately: true } }),
  ]);
  const counts = rollupCounts ?? (await loadRawCounts(db, scope, questionnaire.definition));
  const withResponses = new Set((counts.segments ?? []).filter((r) => testAllowed(r.segment, filters.test)).map((r) => r.unitId));
  const units = allUnits.filter((u) => u.active || withResponses.has(u.id)).map(({ active: _active, ...u }) => u);
  return buildIndexReport({
    definition: questionnaire.definition,
    units,
    groups,
    province: query.province ?? null,
    counts,
    period: { from: scope.from ?? null, to: scope.to ?? null, name: query.periodName ?? null },
    group: scope.group ?? null,
    filters,
    minCell: query.minCell ?? DEFAULT_MIN_CELL,
    ...(query.totals ? { totals: query.totals } : {}),
    ...(query.rankOn ? { rankOn: query.rankOn } : {}),
    ...(query.generatedAt ? { generatedAt: query.generatedAt } : {}),
  });
}
