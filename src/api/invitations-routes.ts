import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { parseBulkInvitations } from '../invitations/parse-bulk-invitations.js';
import { createInvitationRequestSchema } from '../invitations/create-invitation-request.js';
import { createAndQueue } from '../invitations/create-and-queue.js';
import { batchViewQuerySchema, invitationBatchView } from '../invitations/invitation-batch-view.js';
import { cancelAndAudit, findOwnInvitation, invitationQrTarget, resendAndQueue, startBulkAndAudit } from '../invitations/invitation-actions.js';
import { listInvitations, listInvitationsQuerySchema } from '../invitations/list-invitations.js';
import { invitationView } from '../invitations/invitation-view.js';
import type { AppContext } from '../core/app-context.js';
import { QrRenderer } from './qr-renderer.js';
import { requireRole } from './require-auth.js';

const idParams = z.object({ id: z.uuid() });
/** Body of a resend: optionally a corrected recipient, which replaces the old one. */
const resendBodySchema = z.object({ recipient: createInvitationRequestSchema.shape.recipient }).strict();

/** Officers and the one-stop system create invitations; the QR code is printed at the counter. */
export function invitationsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const officer = requireRole(ctx, 'admin', 'officer');
    const qr = new QrRenderer();
    app.addHook('onClose', () => qr.close());

    app.post('/invitations', { onRequest: officer }, async (req, reply) => {
      const body = createInvitationRequestSchema.parse(req.body);
      const { invitation, created } = await createAndQueue(ctx, req.principal!, body);
      return reply.status(created ? 201 : 200).send(invitationView(ctx.config, invitation));
    });

    app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: 5 * 1024 * 1024 }, (_req, body, done) => done(null, body));

    // Bulk: validated row by row at once (bad rows answered with their reason); the rest are
    // created and delivered in the background, progress at GET /invitations/batches/:id.
    app.post('/invitations/bulk', { onRequest: officer, bodyLimit: 5 * 1024 * 1024 }, async (req, reply) => {
      const rows = await parseBulkInvitations(req.body, /csv/.test(req.headers['content-type'] ?? ''));
      const started = await startBulkAndAudit(ctx, req.principal!, rows);
      return reply.status(202).send(started);
    });

    app.get('/invitations/batches/:id', { onRequest: officer }, async (req) => {
      const { id } = idParams.parse(req.params);
      return invitationBatchView(ctx.db, req.principal!, id, batchViewQuerySchema.parse(req.query));
    });

    app.get('/invitations', { onRequest: officer }, async (req) => {
      const q = listInvitationsQuerySchema.parse(req.query);
      const page = await listInvitations({ db: ctx.db, pseudonymKey: ctx.config.pseudonymKey }, req.principal!, q);
      return { items: page.items.map((inv) => invitationView(ctx.config, inv)), nextCursor: page.nextCursor };
    });

    app.post('/invitations/:id/resend', { onRequest: officer }, async (req) => {
      const { id } = idParams.parse(req.params);
      const { recipient } = resendBodySchema.parse(req.body ?? {});
      return invitationView(ctx.config, await resendAndQueue(ctx, req.principal!, id, recipient));
    });

    app.post('/invitations/:id/cancel', { onRequest: officer }, async (req) => {
      const { id } = idParams.parse(req.params);
      return invitationView(ctx.config, await cancelAndAudit(ctx, req.principal!, id));
    });

    app.get('/invitations/:id', { onRequest: officer }, async (req) => {
      const { id } = idParams.parse(req.params);
      return invitationView(ctx.config, await findOwnInvitation(ctx.db, req.principal!, id));
    });

    app.get('/invitations/:id/qr.png', { onRequest: officer }, async (req, reply) => {
      const { id } = idParams.parse(req.params);
      const inv = await findOwnInvitation(ctx.db, req.principal!, id);
      const png = await qr.png(invitationQrTarget(ctx.config, inv));
      return reply.type('image/png').header('cache-control', 'private, max-age=300').send(png);
    });
  };
}
