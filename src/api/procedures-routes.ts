import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { attachmentHeader } from '../export/safe-text.js';
import { writeProcedureReportCsv } from '../export/write-procedure-report-csv.js';
import { parseProceduresUpload } from '../procedures/parse-procedures-upload.js';
import { listProcedures, upsertProcedures } from '../procedures/procedure-catalogue.js';
import { MAX_PROCEDURES_PER_UPLOAD } from '../procedures/procedure-schema.js';
import { procedureReportFor } from './procedure-report-for.js';
import { CONTENT_TYPES, downloadName, reportQuerySchema } from './report-query.js';
import { requireRole } from './require-auth.js';

/** What the breakdown adds to the index report's query. */
const breakdownQuerySchema = z.object({
  /** The unit broken down (its code); every unit when absent. */
  unit: z.string().trim().min(1).max(64).optional(),
  by: z.enum(['procedure', 'field']).default('procedure'),
});

/** `PUT/GET /api/v1/procedures` (the catalogue) and `GET /api/v1/reports/procedures` (the per-procedure breakdown). */
export function proceduresRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    // A national catalogue of a few thousand procedures with long names fits.
    const bodyLimit = Math.max(5 * 1024 * 1024, MAX_PROCEDURES_PER_UPLOAD * 700);
    app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit }, (_req, body, done) => done(null, body));

    app.put('/procedures', { onRequest: requireRole(ctx, 'admin'), bodyLimit }, async (req) => {
      const procedures = parseProceduresUpload(req.body, /csv/.test(req.headers['content-type'] ?? ''));
      const result = await upsertProcedures(ctx.db, procedures);
      await writeAudit(ctx.db, req.principal!, 'procedures.upsert', { ...result });
      return { ...result, total: procedures.length };
    });

    app.get('/procedures', { onRequest: requireRole(ctx, 'admin', 'officer', 'viewer') }, async () => ({ procedures: await listProcedures(ctx.db) }));

    app.get('/reports/procedures', { onRequest: requireRole(ctx, 'admin', 'viewer') }, async (req, reply) => {
      const q = reportQuerySchema.parse(req.query);
      const b = breakdownQuerySchema.parse(req.query);
      if (q.format !== 'json' && q.format !== 'csv') throw AppError.invalid('the per-procedure breakdown is downloaded as json or csv');
      const { report, range, questionnaire } = await procedureReportFor(ctx, req.principal!, q, b);
      await writeAudit(ctx.db, req.principal!, 'report.procedures.download', {
        questionnaire: `${questionnaire.code}@${questionnaire.version}`, ...(range.period ? { period: range.period.name } : { from: range.from, to: range.to, freeRange: true }),
        unit: b.unit, by: b.by, source: q.source, quality: q.quality, test: q.test, format: q.format,
      });
      reply.header('content-type', CONTENT_TYPES[q.format]);
      if (q.format === 'json') return report;
      reply.header('content-disposition', attachmentHeader(downloadName(`sipas-${b.by === 'field' ? 'fields' : 'procedures'}`, q, range).replace(/\.csv$/, `${b.unit ? `_${b.unit}` : ''}.csv`)));
      const body = new PassThrough();
      writeProcedureReportCsv(report, body, q.locale).catch((err: unknown) => {
        reply.log.error({ err: (err as Error).message }, 'download failed');
        body.destroy(err as Error);
      });
      return reply.send(body);
    });
  };
}
