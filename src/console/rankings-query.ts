import { reportQuerySchema, type ReportQuery } from '../api/report-query.js';
import { latestEndedPeriod, type PeriodGranularity } from '../scoring/report-period.js';

/** The filters of /rankings, as its GET form sends them (the API's report query names). */
export const RANKINGS_FILTERS = ['questionnaire', 'round', 'period', 'from', 'to', 'group'] as const;
export type RankingsFilters = Partial<Record<(typeof RANKINGS_FILTERS)[number], string>>;

/** The page's filters from a query string: trimmed, blank form fields dropped, anything else ignored. */
export function rankingsFilters(query: unknown): RankingsFilters {
  const q = (query ?? {}) as Record<string, unknown>;
  const filters: RankingsFilters = {};
  for (const key of RANKINGS_FILTERS) {
    const v = q[key];
    if (typeof v === 'string' && v.trim() !== '') filters[key] = v.trim();
  }
  return filters;
}

/** Neither a round, a period nor days: the page shows what the overview shows (the latest ended period, the one range viewers may read). */
export function withDefaultPeriod(filters: RankingsFilters, granularity: PeriodGranularity, now: Date): RankingsFilters {
  return filters.round || filters.period || filters.from || filters.to ? filters : { ...filters, period: latestEndedPeriod(granularity, now).name };
}

/** The API's report query for the filters plus a download's format (throws the schema's ZodError on a bad filter). */
export function rankingsReportQuery(filters: RankingsFilters, download: { format?: ReportQuery['format']; locale?: ReportQuery['locale'] } = {}): ReportQuery {
  return reportQuerySchema.parse({ ...filters, ...download });
}

/** A link to `path` carrying the filters (and e.g. a format). */
export function rankingsHref(path: string, filters: RankingsFilters, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of RANKINGS_FILTERS) if (filters[key]) params.set(key, filters[key]);
  for (const [k, v] of Object.entries(extra)) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
