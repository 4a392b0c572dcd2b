import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { parseUnitGroupsUpload } from '../units/parse-unit-groups-upload.js';
import { saveUnitGroups } from '../units/save-unit-groups.js';
import { listUnitGroups } from '../units/unit-groups.js';
import { requireRole } from './require-auth.js';

/** `PUT /api/v1/unit-groups` (admins: labels, section order, separate ranking) and `GET /api/v1/unit-groups`. */
export function unitGroupsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.put('/unit-groups', { onRequest: requireRole(ctx, 'admin') }, async (req) => {
      return saveUnitGroups(ctx.db, req.principal!, parseUnitGroupsUpload(req.body));
    });

    app.get('/unit-groups', { onRequest: requireRole(ctx, 'admin', 'officer', 'viewer') }, async () => ({ groups: await listUnitGroups(ctx.db) }));
  };
}
