import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { parseUnitsUpload } from '../units/parse-units-upload.js';
import { upsertUnits } from '../units/upsert-units.js';
import { requireRole } from './require-auth.js';
import { writeAudit } from '../audit/write-audit.js';

/** `PUT /api/v1/units` (JSON or text/csv) and `GET /api/v1/units`. */
export function unitsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    app.put('/units', { onRequest: requireRole(ctx, 'admin'), bodyLimit: 5 * 1024 * 1024 }, async (req) => {
      const isCsv = /csv/.test(req.headers['content-type'] ?? '');
      const units = parseUnitsUpload(req.body, isCsv);
      const result = await upsertUnits(ctx.db, units);
      await writeAudit(ctx.db, req.principal!, 'units.upsert', { ...result });
      return { ...result, total: units.length };
    });

    app.get('/units', { onRequest: requireRole(ctx, 'admin', 'officer', 'viewer') }, async () => {
      const units = await ctx.db.unit.findMany({ where: { active: true }, orderBy: [{ group: 'asc' }, { code: 'asc' }] });
      return { units: units.map((u) => ({ code: u.code, name: u.name, group: u.group, parentCode: u.parentCode })) };
    });
  };
}
