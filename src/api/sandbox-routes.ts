import type { FastifyPluginAsync } from 'fastify';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../core/app-context.js';
import { countTestData, purgeTestData } from '../invitations/purge-test-data.js';
import { requireRole } from './require-auth.js';

/** Test data (simulator, invitations marked test): how much is held, and deleting all of it (admins). */
export function sandboxRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const admin = requireRole(ctx, 'admin');
    app.get('/sandbox', { onRequest: admin }, async () => countTestData(ctx.db));
    app.post('/sandbox/purge', { onRequest: admin }, async (req) => {
      const deleted = await purgeTestData(ctx.db);
      await writeAudit(ctx.db, req.principal!, 'sandbox.purge', deleted);
      return deleted;
    });
  };
}
