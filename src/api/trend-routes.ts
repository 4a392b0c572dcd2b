import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { writeAudit } from '../audit/write-audit.js';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { attachmentHeader } from '../export/safe-text.js';
import { writeTrendXlsx } from '../export/write-trend-xlsx.js';
import { compareReports } from '../scoring/compare-reports.js';
import { loadIndexReport } from '../scoring/load-index-report.js';
import type { IndexReport } from '../scoring/report-schema.js';
import { indexReportRange, type ReportRange } from './report-access.js';
import { reportQuerySchema } from './report-query.js';
import { auditRange, questionnaireOf, requireDefinedGroup, roundOf } from './reports-routes.js';
import { requireRole } from './require-auth.js';
import { sideQuery, trendQuerySchema, type TrendQuery } from './trend-query.js';

/**
 * One side of a trend: the index report exactly as `/reports/index` builds it for this
 * caller (same range rules — viewers get whole ended periods and ended rounds only — same
 * filters, suppression and ranks).
 */
async function sideReport(ctx: AppContext, principal: Principal, t: TrendQuery, i: 0 | 1): Promise<{ report: IndexReport; range: ReportRange }> {
  const q = reportQuerySchema.parse(sideQuery(t, i));
  const round = await roundOf(ctx, q);
  if (round && t.questionnaire && round.round.questionnaire.code !== t.questionnaire.split('@')[0]) {
    throw AppError.invalid(`round ${round.round.code} surveys ${round.round.questionnaire.code}, not ${t.questionnaire}`);
  }
  const range = indexReportRange(principal.role, q, ctx.config.reportPeriod, ctx.now(), round?.period);
  const questionnaire = await questionnaireOf(ctx, q, round?.round);
  const report = await loadIndexReport(ctx.db, {
    questionnaireId: questionnaire.id, from: range.from, to: range.to, periodName: range.period?.name ?? null, group: q.group ?? null,
    filters: { source: q.source, quality: q.quality, test: q.test }, minCell: ctx.config.reportMinCell, generatedAt: ctx.now(), rollupsVia: ctx.sql, catalog: ctx.catalog,
    totals: q.total === 'pooled' ? 'pooled' : 'mean_of_units', rankOn: q.rank, province: ctx.config.provinceName,
    // Indices, suppression and ranks only: a trend shows no option shares, so they are not read.
    optionShares: false,
  });
  return { report, range };
}

/** `GET /reports/trend`: two rounds or periods compared (admin, viewer); audited like every report download. */
export function trendRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/reports/trend', { onRequest: requireRole(ctx, 'admin', 'viewer') }, async (req, reply) => {
      const t = trendQuerySchema.parse(req.query);
      const principal = req.principal!;
      await requireDefinedGroup(ctx, reportQuerySchema.parse(sideQuery(t, 0)));
      // Both sides at once: each is one round of rollup queries.
      const [a, b] = await Promise.all([sideReport(ctx, principal, t, 0), sideReport(ctx, principal, t, 1)]);
      const trend = compareReports(a.report, b.report, ctx.now());
      await writeAudit(ctx.db, principal, 'report.download', {
        kind: 'trend',
        questionnaire: [a.report, b.report].map((r) => `${r.questionnaire.code}@${r.questionnaire.version}`),
        a: auditRange(a.range), b: auditRange(b.range), group: t.group, source: t.source, quality: t.quality, test: t.test, format: t.format,
      });
      if (t.format === 'json') return reply.header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(trend));
      const name = ['sipas-trend', trend.b.questionnaire.code, trend.a.name, trend.b.name, t.group ?? ''].filter(Boolean).join('_') + '.xlsx';
      const body = new PassThrough();
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachmentHeader(name));
      writeTrendXlsx(trend, body).catch((err: unknown) => {
        reply.log.error({ err: (err as Error).message, kind: 'sipas-trend' }, 'download failed');
        body.destroy(err as Error);
      });
      return reply.send(body);
    });
  };
}
