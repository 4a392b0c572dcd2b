import { AppError } from '../core/app-error.js';
import { latestEndedPeriod, periodEnded, type NamedPeriod, type PeriodGranularity } from '../scoring/report-period.js';
import type { ReportQuery } from './report-query.js';

const GRANULARITY_VI: Record<PeriodGranularity, string> = { year: 'năm', quarter: 'quý', month: 'tháng' };
const EXAMPLE: Record<PeriodGranularity, string> = { year: '2025', quarter: '2026-Q3', month: '2026-11' };

/** The range a report or export covers, and whether it is a free range (recorded in the audit log). */
export type ReportRange = { from: string | null; to: string | null; period: Pick<NamedPeriod, 'name' | 'from' | 'to'> | null; freeRange: boolean };

/** A survey round named as the period (`round=`): its window, and whether it has ended. */
export type RoundPeriod = { code: string; from: string; to: string; ended: boolean };

function roundRange(round: RoundPeriod, who: string | null): ReportRange {
  if (who && !round.ended) throw AppError.invalid(`round ${round.code} has not ended; ${who} can read its figures from the day after ${round.to}`);
  return { from: round.from, to: round.to, period: { name: `round-${round.code}`, from: round.from, to: round.to }, freeRange: false };
}

/**
 * Whole periods only: one kind (`granularity`, REPORT_PERIOD), ended, so that no two
 * ranges a reader may ask for overlap and none still grows between two downloads. Without
 * a period, the latest ended one.
 */
function wholePeriod(q: ReportQuery, granularity: PeriodGranularity, now: Date, who: string): NamedPeriod {
  if (q.from || q.to) throw AppError.invalid(`${who} ask for a whole period (period=${EXAMPLE[granularity]}), not from/to: overlapping ranges could be subtracted to single out a respondent`);
  const period = q.period ?? latestEndedPeriod(granularity, now);
  if (period.granularity !== granularity) {
    throw AppError.invalid(`reports here cover whole ${granularity}s (${GRANULARITY_VI[granularity]}), e.g. period=${EXAMPLE[granularity]}; "${period.name}" is a ${period.granularity}`);
  }
  if (!periodEnded(period, now)) throw AppError.invalid(`period ${period.name} has not ended; its figures can be read from the day after ${period.to}`);
  return period;
}

/**
 * What an index report may cover for this role. Viewers: whole ended periods of the
 * configured kind, all sources and every response (filters would let two reports of the
 * same period be subtracted). Admins: any period or range, any filters.
 */
export function indexReportRange(role: string, q: ReportQuery, granularity: PeriodGranularity, now: Date, round?: RoundPeriod): ReportRange {
  if (role === 'admin') {
    if (round) return roundRange(round, null);
    return q.period ? { from: q.period.from, to: q.period.to, period: q.period, freeRange: false } : { from: q.from ?? null, to: q.to ?? null, period: null, freeRange: true };
  }
  if (q.source !== 'all' || q.quality !== 'include') throw AppError.forbidden('only administrators can count responses by source or leave flagged ones out');
  if (q.test !== 'exclude') throw AppError.forbidden('only administrators can count test data');
  if (round) return roundRange(round, 'viewers');
  const period = wholePeriod(q, granularity, now, 'viewers');
  return { from: period.from, to: period.to, period, freeRange: false };
}

/** Microdata (admins only): rows match across exports by their content, so only whole ended periods of the configured kind. */
export function microdataRange(q: ReportQuery, granularity: PeriodGranularity, now: Date, round?: RoundPeriod): ReportRange {
  if (round) return roundRange(round, 'microdata exports');
  const period = wholePeriod(q, granularity, now, 'microdata exports');
  return { from: period.from, to: period.to, period, freeRange: false };
}
