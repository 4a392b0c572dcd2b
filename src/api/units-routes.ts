import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/app-context.js';
import { parseUnitsUpload } from '../units/parse-units-upload.js';
import { saveUnitPatch, saveUnits } from '../units/save-units.js';
import { unitPatchSchema } from '../units/update-unit.js';
import { requireRole } from './require-auth.js';

const codeParams = z.object({ code: z.string().min(1).max(64) });

/**
 * `PUT /api/v1/units` (JSON or text/csv), `PATCH /api/v1/units/:code` and `GET /api/v1/units`.
 * `onUnitsChanged`: lets this process's open-survey unit list see a change at once (others refresh within a minute).
 */
export function unitsRoutes(ctx: AppContext, opts: { onUnitsChanged?: () => Promise<void> } = {}): FastifyPluginAsync {
  const unitsChanged = async () => {
    await opts.onUnitsChanged?.().catch((err: unknown) => ctx.logger.warn({ err }, 'unit list not refreshed; it refreshes within a minute'));
  };
  return async (app) => {
    app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    app.put('/units', { onRequest: requireRole(ctx, 'admin'), bodyLimit: 5 * 1024 * 1024 }, async (req) => {
      const isCsv = /csv/.test(req.headers['content-type'] ?? '');
      const result = await saveUnits(ctx.db, req.principal!, parseUnitsUpload(req.body, isCsv));
      await unitsChanged();
      return result;
    });

    app.patch('/units/:code', { onRequest: requireRole(ctx, 'admin') }, async (req) => {
      const { code } = codeParams.parse(req.params);
      const patch = unitPatchSchema.parse(req.body ?? {});
      const { unit, changed } = await saveUnitPatch(ctx.db, req.principal!, code, patch);
      if (changed.length) await unitsChanged();
      return { unit, changed };
    });

    app.get('/units', { onRequest: requireRole(ctx, 'admin', 'officer', 'viewer') }, async () => {
      const units = await ctx.db.unit.findMany({ where: { active: true }, orderBy: [{ group: 'asc' }, { code: 'asc' }] });
      return { units: units.map((u) => ({ code: u.code, name: u.name, group: u.group, parentCode: u.parentCode })) };
    });
  };
}
