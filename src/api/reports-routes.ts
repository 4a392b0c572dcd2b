import { PassThrough, type Writable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { writeAudit } from '../audit/write-audit.js';
import { microdataColumns } from '../export/microdata-columns.js';
import { microdataRows } from '../export/microdata-rows.js';
import { writeMicrodataCsv, writeMicrodataXlsx } from '../export/write-microdata.js';
import { writeReportCsv } from '../export/write-report-csv.js';
import { writeReportJson } from '../export/write-report-json.js';
import { writeReportXlsx } from '../export/write-report-xlsx.js';
import { attachmentHeader } from '../export/safe-text.js';
import { loadIndexReport } from '../scoring/load-index-report.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { CONTENT_TYPES, downloadName, reportQuerySchema, type ReportQuery } from './report-query.js';
import { indexReportRange, microdataRange, type ReportRange } from './report-access.js';
import { unitGroupExists } from '../units/unit-groups.js';
import { requireRole } from './require-auth.js';

/** Streams `write` into the reply; a failure after the headers went out aborts the download. */
function stream(reply: FastifyReply, q: ReportQuery, range: ReportRange, kind: string, write: (out: Writable) => Promise<void>) {
  const body = new PassThrough();
  reply.header('content-type', CONTENT_TYPES[q.format]);
  if (q.format !== 'json') reply.header('content-disposition', attachmentHeader(downloadName(kind, q, range)));
  write(body).catch((err: unknown) => {
    reply.log.error({ err: (err as Error).message, kind }, 'download failed');
    body.destroy(err as Error);
  });
  return reply.send(body);
}

/** Reports resolve a bare code to its highest version, active or not (a closed survey stays reportable). */
const questionnaireOf = (ctx: AppContext, q: ReportQuery) => ctx.catalog.resolve(q.questionnaire, 'report');

/** Index reports (admin, viewer) and anonymised microdata (admin only); every download is audited. */
export function reportsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/reports/index', { onRequest: requireRole(ctx, 'admin', 'viewer') }, async (req, reply) => {
      const q = reportQuerySchema.parse(req.query);
      const range = indexReportRange(req.principal!.role, q, ctx.config.reportPeriod, ctx.now());
      await requireDefinedGroup(ctx, q);
      const questionnaire = await questionnaireOf(ctx, q);
      const report = await loadIndexReport(ctx.db, {
        questionnaireId: questionnaire.id, from: range.from, to: range.to, periodName: range.period?.name ?? null, group: q.group ?? null,
        filters: { source: q.source, quality: q.quality }, minCell: ctx.config.reportMinCell, generatedAt: ctx.now(), rollupsVia: ctx.sql, catalog: ctx.catalog,
        totals: q.total === 'pooled' ? 'pooled' : 'mean_of_units', rankOn: q.rank,
      });
      await writeAudit(ctx.db, req.principal!, 'report.download', { questionnaire: `${questionnaire.code}@${questionnaire.version}`, ...auditRange(range), group: q.group, source: q.source, quality: q.quality, format: q.format });
      const writer = { json: writeReportJson, csv: writeReportCsv, xlsx: writeReportXlsx }[q.format];
      return stream(reply, q, range, 'sipas-index', (out) => writer(report, out));
    });

    app.get('/responses/export', { onRequest: requireRole(ctx, 'admin') }, async (req, reply) => {
      const q = reportQuerySchema.parse(req.query);
      if (q.format === 'json') throw AppError.invalid('microdata is exported as csv or xlsx');
      const range = microdataRange(q, ctx.config.reportPeriod, ctx.now());
      await requireDefinedGroup(ctx, q);
      const questionnaire = await questionnaireOf(ctx, q);
      const columns = microdataColumns(questionnaire.definition, q.text === '1');
      const rows = microdataRows(ctx.db, { questionnaireId: questionnaire.id, label: `${questionnaire.code}@${questionnaire.version}`, from: range.from!, to: range.to!, ...(q.group ? { group: q.group } : {}), minCell: ctx.config.reportMinCell }, columns);
      await writeAudit(ctx.db, req.principal!, 'microdata.download', { questionnaire: `${questionnaire.code}@${questionnaire.version}`, ...auditRange(range), group: q.group, format: q.format, text: q.text === '1' });
      return stream(reply, q, range, 'sipas-microdata', (out) => (q.format === 'csv' ? writeMicrodataCsv(columns, rows, out) : writeMicrodataXlsx(columns, rows, out)));
    });
  };
}

/** A group filter names one of the defined unit groups (reports over made-up groups are refused, not empty). */
async function requireDefinedGroup(ctx: AppContext, q: ReportQuery) {
  if (q.group !== undefined && !(await unitGroupExists(ctx.db, q.group))) throw AppError.invalid(`"${q.group}" is not a unit group`);
}

const auditRange = (r: ReportRange) => (r.period ? { period: r.period.name } : { from: r.from, to: r.to, freeRange: true });
