import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { reportQuerySchema } from './report-query.js';
import { sendIndexReport, sendMicrodata } from './report-downloads.js';
import { requireRole } from './require-auth.js';

// Shared with the trend and procedure routes (and the console): see report-downloads.ts.
export { auditRange, questionnaireOf, requireDefinedGroup, roundOf } from './report-downloads.js';

/** Index reports (admin, viewer) and anonymised microdata (admin only); every download is audited. */
export function reportsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/reports/index', { onRequest: requireRole(ctx, 'admin', 'viewer') }, async (req, reply) => sendIndexReport(ctx, req.principal!, reportQuerySchema.parse(req.query), reply));

    app.get('/responses/export', { onRequest: requireRole(ctx, 'admin') }, async (req, reply) => sendMicrodata(ctx, req.principal!, reportQuerySchema.parse(req.query), reply));
  };
}
