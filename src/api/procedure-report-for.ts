import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { loadProcedureReport } from '../procedures/load-procedure-report.js';
import type { StoredQuestionnaire } from '../questionnaire/questionnaire-catalog.js';
import type { ProcedureReport } from '../scoring/procedure-report-schema.js';
import { questionnaireOf, roundOf } from './report-downloads.js';
import { indexReportRange, type ReportRange } from './report-access.js';
import type { ReportQuery } from './report-query.js';

/** What the breakdown adds to the index report's query: the unit broken down (its code; every unit when absent), and by what. */
export type Breakdown = { unit?: string | undefined; by: 'procedure' | 'field' };

/**
 * The per-procedure (or per-field) breakdown `q` asks for, within what the principal's role
 * may read (the index report's range rules); shared by `GET /reports/procedures` and the
 * console's unit page. Throws the API's errors (a group, an unknown unit, a range the role may not read).
 */
export async function procedureReportFor(ctx: AppContext, principal: Principal, q: ReportQuery, b: Breakdown): Promise<{ report: ProcedureReport; range: ReportRange; questionnaire: StoredQuestionnaire }> {
  if (principal.role === 'officer') throw AppError.forbidden('officers see progress, not reports');
  if (q.group !== undefined) throw AppError.invalid('the per-procedure breakdown covers one unit (unit=) or every unit, not a group');
  const round = await roundOf(ctx, q);
  const range = indexReportRange(principal.role, q, ctx.config.reportPeriod, ctx.now(), round?.period);
  const unit = b.unit === undefined ? null : await ctx.db.unit.findUnique({ where: { code: b.unit }, select: { id: true } });
  if (unit === null && b.unit !== undefined) throw AppError.invalid(`"${b.unit}" is not a unit`);
  const questionnaire = await questionnaireOf(ctx, q, round?.round);
  const report = await loadProcedureReport(ctx.db, {
    questionnaire, from: range.from, to: range.to, periodName: range.period?.name ?? null, unitId: unit?.id ?? null, by: b.by,
    filters: { source: q.source, quality: q.quality, test: q.test }, minCell: ctx.config.reportMinCell, generatedAt: ctx.now(),
  });
  return { report, range, questionnaire };
}
