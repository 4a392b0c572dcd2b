import { followsUnit, type Principal } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { vietnamDay } from '../core/vietnam-day.js';
import { DEFAULT_QUESTIONNAIRE_CODE } from '../questionnaire/questionnaire-catalog.js';
import { roundDailyCompletions } from '../rounds/round-daily-completions.js';
import { roundProgress, type RoundProgress } from '../rounds/round-progress.js';
import { isoDay, listRounds, type RoundWithQuotas } from '../rounds/round-store.js';
import { latestEndedPeriod, type NamedPeriod } from '../scoring/report-period.js';
import type { IndexReport } from '../scoring/report-schema.js';
import { loadIndexReport } from '../scoring/load-index-report.js';
import { listUnitGroups } from '../units/unit-groups.js';
import type { UserView } from '../users/user-schema.js';

export type OverviewData = {
  round: { code: string; name: string; opensOn: Date; closesOn: Date; progress: RoundProgress; daily: { day: string; completed: number }[] } | null;
  /** Unit-group code → its label (Sở, ban, ngành…). */
  groupLabels: Map<string, string>;
  /** Administrators and viewers only (officers see progress, never results): the latest ended period's index. */
  index: { period: NamedPeriod; report: IndexReport } | null;
};

/** A console user as the API modules' principal (same roles and unit scope as an API key). */
export const principalOf = (user: UserView): Principal => ({ keyId: `user:${user.id}`, role: user.role, unitCodes: user.unitCodes });

/** One entry per day of the round so far (days without a completion count 0). */
function everyDay(opensOn: Date, closesOn: Date, now: Date, counts: { day: string; completed: number }[]): { day: string; completed: number }[] {
  const byDay = new Map(counts.map((c) => [c.day, c.completed]));
  const last = Math.min(closesOn.getTime(), new Date(`${isoDay(vietnamDay(now))}T00:00:00Z`).getTime());
  const days: { day: string; completed: number }[] = [];
  for (let t = opensOn.getTime(); t <= last; t += 86_400_000) days.push({ day: isoDay(new Date(t)), completed: byDay.get(isoDay(new Date(t))) ?? 0 });
  return days;
}

/** The round open today (Vietnam's day); the one opened last when several are. */
function openRound(rounds: RoundWithQuotas[], now: Date): RoundWithQuotas | undefined {
  const today = isoDay(vietnamDay(now));
  return rounds.find((r) => !r.closedAt && isoDay(r.opensOn) <= today && today <= isoDay(r.closesOn));
}

/**
 * What `/` shows, read through the rounds and reports modules as the API does. The index
 * covers the latest ended period of the configured kind (REPORT_PERIOD), the one range
 * viewers may read, so that admins and viewers see the same figures.
 */
export async function loadOverview(ctx: AppContext, user: UserView): Promise<OverviewData> {
  const now = ctx.now();
  const principal = principalOf(user);
  const [rounds, groups] = await Promise.all([listRounds(ctx.db), listUnitGroups(ctx.db)]);
  const open = openRound(rounds, now);
  let round: OverviewData['round'] = null;
  if (open) {
    const scoped = { ...open, quotas: open.quotas.filter((q) => followsUnit(principal, q.unit.code)) };
    const [progress, counts] = await Promise.all([roundProgress(ctx.db, scoped, now), roundDailyCompletions(ctx.db, open.id, scoped.quotas.map((q) => q.unitId))]);
    round = { code: open.code, name: open.name, opensOn: open.opensOn, closesOn: open.closesOn, progress, daily: everyDay(open.opensOn, open.closesOn, now, counts) };
  }
  let index: OverviewData['index'] = null;
  if (user.role !== 'officer') {
    const period = latestEndedPeriod(ctx.config.reportPeriod, now);
    const questionnaire = await ctx.catalog.resolve(open ? { code: open.questionnaire.code, version: open.questionnaire.version } : DEFAULT_QUESTIONNAIRE_CODE, 'report');
    const report = await loadIndexReport(ctx.db, {
      questionnaireId: questionnaire.id, from: period.from, to: period.to, periodName: period.name, group: null,
      filters: { source: 'all', quality: 'include', test: 'exclude' }, minCell: ctx.config.reportMinCell, generatedAt: now, rollupsVia: ctx.sql, catalog: ctx.catalog,
      totals: 'mean_of_units', optionShares: false, province: ctx.config.provinceName,
    });
    index = { period, report };
  }
  return { round, groupLabels: new Map(groups.map((g) => [g.code, g.label])), index };
}
