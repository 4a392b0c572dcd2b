import { ZodError } from 'zod';
import { procedureReportFor } from '../api/procedure-report-for.js';
import { indexReportFor } from '../api/report-downloads.js';
import { reportQuerySchema, type ReportQuery } from '../api/report-query.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { vietnamDay } from '../core/vietnam-day.js';
import { DEFAULT_QUESTIONNAIRE_CODE } from '../questionnaire/questionnaire-catalog.js';
import { isoDay, listRounds, type RoundWithQuotas } from '../rounds/round-store.js';
import { compareReports } from '../scoring/compare-reports.js';
import { optionQuestions } from '../scoring/index-bindings.js';
import type { ProcedureReport } from '../scoring/procedure-report-schema.js';
import { latestEndedPeriod, parsePeriod, type PeriodGranularity } from '../scoring/report-period.js';
import type { IndexReport, QuestionShares, UnitReport } from '../scoring/report-schema.js';
import type { IndexChange } from '../scoring/trend-schema.js';
import type { UserView } from '../users/user-schema.js';
import { formatDay } from './format-vi.js';
import { principalOf } from './overview-data.js';
import { periodLabel } from './overview-page.js';

/** Rounds shown in a unit's trend: the latest ones, so that a page load reads a bounded number of reports. */
export const TREND_ROUNDS = 6;

/** The question roles whose option shares the unit page shows. */
const SHARE_ROLES = new Set(['perception', 'expectation']);

/** What the period form asked for (raw text, re-shown in the form). */
export type UnitSelection = { round: string; period: string; questionnaire: string };

export type RoundChoice = { code: string; name: string; opensOn: Date; closesOn: Date };

/** One round of the unit's trend, and its change from the round before (as `/reports/trend` compares two rounds). */
export type TrendPoint = {
  round: RoundChoice;
  responses: number | null;
  index: number | null;
  ci: UnitReport['ci'];
  suppressed: boolean;
  lowSample: boolean;
  change: IndexChange | null;
};

/** A perception or expectation question as the page lists it (its shares withheld when the unit is). */
export type ShareQuestion = Pick<QuestionShares, 'code' | 'role' | 'title'> & { shares: QuestionShares | null };

export type UnitResults = {
  report: IndexReport;
  /** The unit in the report (absent: an inactive unit without responses in the range). */
  unit: UnitReport | undefined;
  /** The range's label (period name, or the round). */
  rangeLabel: string;
  questions: ShareQuestion[];
  procedures: ProcedureReport;
};

export type UnitPageData = {
  unit: { code: string; name: string; group: string; groupLabel: string; active: boolean };
  selection: UnitSelection;
  /** Rounds the form offers (viewers: ended ones only). */
  rounds: RoundChoice[];
  /** Questionnaire codes the form offers for a period, and the one used when none is chosen. */
  questionnaires: { codes: string[]; fallback: string };
  granularity: PeriodGranularity;
  /** `null` when the selection was refused (see `error`). */
  results: UnitResults | null;
  /** Why the selection was refused, in Vietnamese. */
  error: string | null;
  trend: TrendPoint[];
};

const GRANULARITY_VI: Record<PeriodGranularity, string> = { year: 'năm', quarter: 'quý', month: 'tháng' };
const EXAMPLE: Record<PeriodGranularity, string> = { year: '2025', quarter: '2026-Q3', month: '2026-11' };

const ended = (r: RoundWithQuotas, today: string) => r.closedAt !== null || isoDay(r.closesOn) < today;
const choice = (r: RoundWithQuotas): RoundChoice => ({ code: r.code, name: r.name, opensOn: r.opensOn, closesOn: r.closesOn });

const roundLabel = (rounds: RoundWithQuotas[], code: string | undefined) => {
  const r = code ? rounds.find((x) => x.code === code) : undefined;
  return r ? `${r.name} (${r.code}, ${formatDay(r.opensOn)} – ${formatDay(r.closesOn)})` : undefined;
};

/** The report query of the form: a round, a period, or (neither) the latest ended period of REPORT_PERIOD, for every role. */
function reportQuery(ctx: AppContext, s: UnitSelection, fallbackQuestionnaire: string): ReportQuery {
  // A round names its own questionnaire; a period is read for the chosen (or the current) one.
  const given: Record<string, string> = { ...(s.round ? { round: s.round } : { questionnaire: s.questionnaire || fallbackQuestionnaire }), ...(s.period ? { period: s.period } : {}) };
  if (!s.round && !s.period) given.period = latestEndedPeriod(ctx.config.reportPeriod, ctx.now()).name;
  return reportQuerySchema.parse(given);
}

/** The API's refusal of a selection, said in Vietnamese for the person who made it. */
function selectionError(err: unknown, s: UnitSelection, granularity: PeriodGranularity, rounds: RoundWithQuotas[]): string {
  if (err instanceof ZodError) {
    if (s.round && s.period) return 'Chọn một đợt khảo sát hoặc nhập một kỳ báo cáo, không chọn cả hai.';
    if (s.questionnaire && !s.round && !/^[A-Za-z0-9._-]{1,64}(@\d{1,10})?$/.test(s.questionnaire)) return 'Bộ câu hỏi không hợp lệ.';
    if (s.period) return `Kỳ báo cáo “${s.period.slice(0, 40)}” không hợp lệ: nhập năm (2026), quý (2026-Q4) hoặc tháng (2026-12).`;
    return 'Mã đợt khảo sát không hợp lệ.';
  }
  if (!(err instanceof AppError)) throw err;
  if (err.kind === 'not_found' && !s.round) return `Không có bộ câu hỏi “${s.questionnaire.slice(0, 64)}”.`;
  if (err.kind === 'not_found') return `Không có đợt khảo sát “${s.round.slice(0, 64)}”.`;
  if (err.kind === 'forbidden') return 'Vai trò của bạn không được xem số liệu này.';
  if (err.kind !== 'invalid') throw err;
  const round = rounds.find((r) => r.code === s.round);
  if (round) return `Đợt ${round.code} chưa kết thúc; số liệu của đợt được xem từ ngày sau ${formatDay(round.closesOn)}.`;
  const parsed = parsePeriod(s.period);
  if (parsed.ok && parsed.period.granularity !== granularity) return `Số liệu chỉ xem theo cả ${GRANULARITY_VI[granularity]}, ví dụ ${EXAMPLE[granularity]}.`;
  if (parsed.ok) return `Kỳ ${s.period} chưa kết thúc; số liệu được xem từ ngày sau ${formatDay(new Date(parsed.period.to))}.`;
  return 'Kỳ báo cáo không hợp lệ.';
}

/** The perception and expectation questions of the instrument, each with the unit's shares unless the unit is withheld. */
function shareQuestions(questionnaire: { definition: Parameters<typeof optionQuestions>[0] }, unit: UnitReport | undefined): ShareQuestion[] {
  const byCode = new Map((unit?.options ?? []).map((o) => [o.code, o]));
  return optionQuestions(questionnaire.definition)
    .filter((q) => SHARE_ROLES.has(q.role))
    .map((q) => {
      const shares = unit && !unit.suppressed ? (byCode.get(q.code) ?? null) : null;
      return { code: q.code, role: q.role, title: q.text.vi, shares };
    });
}

/** The unit's overall index per round (latest `TREND_ROUNDS` rounds the role may read), each compared with the round before. */
async function loadTrend(ctx: AppContext, user: UserView, code: string, rounds: RoundWithQuotas[]): Promise<TrendPoint[]> {
  const principal = principalOf(user);
  const chosen = rounds.slice(-TREND_ROUNDS);
  const reports = await Promise.all(chosen.map(async (r) => (await indexReportFor(ctx, principal, reportQuerySchema.parse({ round: r.code }))).report));
  return chosen.map((r, i) => {
    const u = reports[i]!.units.find((x) => x.code === code);
    const previous = i > 0 ? compareReports(reports[i - 1]!, reports[i]!, ctx.now()).units.find((x) => x.code === code) : undefined;
    return {
      round: choice(r), responses: u?.responses ?? null, index: u?.index ?? null, ci: u?.ci ?? null,
      suppressed: u?.suppressed ?? true, lowSample: u?.lowSample ?? true, change: previous ? previous.overall : null,
    };
  });
}

/**
 * What `/units/:code` shows, read through the report modules exactly as the JSON API reads
 * them for this role (`indexReportFor`, `procedureReportFor`, `compareReports`).
 * Throws `AppError.notFound` for an unknown unit.
 */
export async function loadUnitPage(ctx: AppContext, user: UserView, code: string, selection: UnitSelection): Promise<UnitPageData> {
  const row = await ctx.db.unit.findUnique({ where: { code }, include: { unitGroup: { select: { label: true } } } });
  if (!row) throw AppError.notFound(`unit ${code} not found`);
  const granularity = ctx.config.reportPeriod;
  const today = isoDay(vietnamDay(ctx.now()));
  // Oldest first; rounds not yet open have no answers, and viewers read ended rounds only.
  const all = await listRounds(ctx.db);
  const readable = all.filter((r) => isoDay(r.opensOn) <= today && (user.role === 'admin' || ended(r, today))).reverse();
  // Without a choice, periods are read for the questionnaire of the latest round (the province's current one).
  const fallback = all[0]?.questionnaire.code ?? DEFAULT_QUESTIONNAIRE_CODE;
  const codes = [...new Set((await ctx.catalog.list()).map((q) => q.code))];
  const unit = { code: row.code, name: row.name.normalize('NFC'), group: row.group, groupLabel: row.unitGroup.label.normalize('NFC'), active: row.active };

  let results: UnitResults | null = null;
  let error: string | null = null;
  try {
    const q = reportQuery(ctx, selection, fallback);
    const principal = principalOf(user);
    const [{ report, questionnaire }, { report: procedures }] = await Promise.all([indexReportFor(ctx, principal, q), procedureReportFor(ctx, principal, q, { unit: code, by: 'procedure' })]);
    const mine = report.units.find((u) => u.code === code);
    const rangeLabel = q.round ? `${report.periodName ?? q.round}` : q.period ? periodLabel(q.period) : '';
    results = { report, unit: mine, rangeLabel: roundLabel(all, q.round) ?? rangeLabel, questions: shareQuestions(questionnaire, mine), procedures };
  } catch (err) {
    error = selectionError(err, selection, granularity, all);
  }
  const trend = await loadTrend(ctx, user, code, readable);
  return { unit, selection, rounds: readable.map(choice), questionnaires: { codes, fallback }, granularity, results, error, trend };
}
