import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { requireRole } from './require-auth.js';

/** `GET /api/v1/questionnaires`: the stored versions (definitions on request with ?full=1). */
export function questionnairesRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    app.get('/questionnaires', { onRequest: requireRole(ctx, 'admin', 'officer', 'viewer') }, async (req) => {
      const full = (req.query as { full?: string }).full === '1';
      const stored = await ctx.catalog.list();
      return {
        questionnaires: stored.map((q) => ({ code: q.code, version: q.version, title: q.title, active: q.active, ...(full ? { definition: q.definition } : {}) })),
      };
    });
  };
}
