import type { FastifyInstance, FastifyReply } from 'fastify';
import { indexReportFor, sendIndexReport, sendMicrodata } from '../api/report-downloads.js';
import type { ReportQuery } from '../api/report-query.js';
import type { AppContext } from '../core/app-context.js';
import { vietnamDay } from '../core/vietnam-day.js';
import { isoDay, listRounds } from '../rounds/round-store.js';
import { latestEndedPeriod } from '../scoring/report-period.js';
import { listUnitGroups } from '../units/unit-groups.js';
import type { UserRole } from '../users/user-schema.js';
import type { ConsoleGate, SignedIn } from './console-gate.js';
import { principalOf } from './overview-data.js';
import { RankingsDownloadError, RankingsPage, type RankingsOptions } from './rankings-page.js';
import { rankingsFilters, rankingsReportQuery, withDefaultPeriod } from './rankings-query.js';
import { reportErrorVi } from './report-errors-vi.js';
import { sendHtml } from './send-html.js';

const READERS: readonly UserRole[] = ['admin', 'viewer'];
const INDEX_FORMATS = { xlsx: { format: 'xlsx' }, csv: { format: 'csv', locale: 'vi' }, json: { format: 'json' } } as const satisfies Record<string, Partial<ReportQuery>>;
const MICRODATA_FORMATS = { xlsx: { format: 'xlsx' }, csv: { format: 'csv' } } as const satisfies Record<string, Partial<ReportQuery>>;

/** What the filter form offers: viewers only rounds that have ended (the only ones they may read). */
async function rankingsOptions(ctx: AppContext, role: UserRole): Promise<RankingsOptions> {
  const today = isoDay(vietnamDay(ctx.now()));
  const [questionnaires, rounds, groups] = await Promise.all([ctx.catalog.list(), listRounds(ctx.db), listUnitGroups(ctx.db)]);
  return {
    questionnaires: questionnaires.map((q) => ({ ref: `${q.code}@${q.version}`, title: q.title })),
    rounds: rounds.filter((r) => role === 'admin' || r.closedAt !== null || isoDay(r.closesOn) < today).map((r) => ({ code: r.code, name: r.name, opensOn: r.opensOn, closesOn: r.closesOn })),
    groups: groups.map((g) => ({ code: g.code, label: g.label })),
    periodExample: latestEndedPeriod(ctx.config.reportPeriod, ctx.now()).name,
  };
}

/**
 * A download of the page's report through the API's report code (same access rules for the
 * user's role, same audit entry), or a page saying in Vietnamese why it cannot be made.
 */
async function download(ctx: AppContext, who: SignedIn, reply: FastifyReply, raw: unknown, formats: Record<string, Partial<ReportQuery>>, send: typeof sendIndexReport) {
  const filters = rankingsFilters(raw);
  const asked = (raw as Record<string, unknown> | undefined)?.format;
  const format = typeof asked === 'string' && Object.hasOwn(formats, asked) ? formats[asked] : undefined;
  if (!format) return sendHtml(reply, 400, <RankingsDownloadError frame={who.frame} filters={filters} message="Định dạng tải xuống không hợp lệ." />);
  try {
    const q = rankingsReportQuery(withDefaultPeriod(filters, ctx.config.reportPeriod, ctx.now()), format);
    return await send(ctx, principalOf(who.user), q, reply);
  } catch (err) {
    const vi = reportErrorVi(err);
    if (!vi) throw err;
    return sendHtml(reply, vi.status, <RankingsDownloadError frame={who.frame} filters={filters} message={vi.message} />);
  }
}

/** `/rankings` (administrators, viewers): the annex table on screen with its downloads; microdata for administrators only. */
export function registerRankingsRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  app.get('/rankings', async (req, reply) => {
    const who = await gate(req, reply, READERS);
    if (!who) return reply;
    const filters = rankingsFilters(req.query);
    const shown = withDefaultPeriod(filters, ctx.config.reportPeriod, ctx.now());
    const options = await rankingsOptions(ctx, who.user.role);
    try {
      const { report } = await indexReportFor(ctx, principalOf(who.user), rankingsReportQuery(shown));
      return await sendHtml(reply, 200, <RankingsPage frame={who.frame} filters={filters} shown={shown} options={options} report={report} />);
    } catch (err) {
      const vi = reportErrorVi(err);
      if (!vi) throw err;
      return sendHtml(reply, vi.status, <RankingsPage frame={who.frame} filters={filters} shown={shown} options={options} error={vi.message} />);
    }
  });

  app.get('/rankings/download', async (req, reply) => {
    const who = await gate(req, reply, READERS);
    if (!who) return reply;
    return download(ctx, who, reply, req.query, INDEX_FORMATS, sendIndexReport);
  });

  app.get('/rankings/microdata', async (req, reply) => {
    const who = await gate(req, reply, ['admin']);
    if (!who) return reply;
    return download(ctx, who, reply, req.query, MICRODATA_FORMATS, sendMicrodata);
  });
}
