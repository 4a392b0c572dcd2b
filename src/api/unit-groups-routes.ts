import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { writeAudit } from '../audit/write-audit.js';
import { parseUnitGroupsUpload } from '../units/parse-unit-groups-upload.js';
import { listUnitGroups, upsertUnitGroups } from '../units/unit-groups.js';
import { requireRole } from './require-auth.js';

/** `PUT /api/v1/unit-groups` (admins: labels, section order, separate ranking) and `GET /api/v1/unit-groups`. */
export function unitGroupsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.put('/unit-groups', { onRequest: requireRole(ctx, 'admin') }, async (req) => {
      const groups = parseUnitGroupsUpload(req.body);
      const result = await upsertUnitGroups(ctx.db, groups);
      await writeAudit(ctx.db, req.principal!, 'unit-groups.upsert', { ...result, codes: groups.map((g) => g.code) });
      return { ...result, total: groups.length };
    });

    app.get('/unit-groups', { onRequest: requireRole(ctx, 'admin', 'officer', 'viewer') }, async () => ({ groups: await listUnitGroups(ctx.db) }));
  };
}
