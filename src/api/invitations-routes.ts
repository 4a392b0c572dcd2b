import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { canUseUnit } from '../auth/principal.js';
import { writeAudit } from '../audit/write-audit.js';
import { parseBulkInvitations } from '../invitations/parse-bulk-invitations.js';
import { createInvitationRequestSchema } from '../invitations/create-invitation-request.js';
import { createAndQueue } from '../invitations/create-and-queue.js';
import { batchViewQuerySchema, invitationBatchView } from '../invitations/invitation-batch-view.js';
import { startInvitationBatch } from '../invitations/start-invitation-batch.js';
import { cancelInvitation, resendInvitation } from '../invitations/change-invitation.js';
import { listInvitations, listInvitationsQuerySchema } from '../invitations/list-invitations.js';
import { invitationLinks } from '../invitations/invitation-links.js';
import { invitationView } from '../invitations/invitation-view.js';
import { deliverInvitationJob } from '../queues/job-catalog.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
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

    const findOwn = async (principal: Parameters<typeof canUseUnit>[0], id: string) => {
      const inv = await ctx.db.invitation.findUnique({ where: { id }, include: { unit: true } });
      if (!inv || !canUseUnit(principal, inv.unit.code)) throw AppError.notFound('no such invitation');
      return inv;
    };

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
      const started = await startInvitationBatch(ctx, req.principal!, rows);
      await writeAudit(ctx.db, req.principal!, 'invitations.bulk', { batchId: started.batchId, total: started.total, accepted: started.accepted, rejected: started.rejected.length });
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
      const { invitation, resend, recipientChanged } = await resendInvitation(ctx, req.principal!, id, recipient);
      await ctx.queues.add(deliverInvitationJob, { invitationId: id, resend });
      // The audit says that the recipient changed, never what it is.
      await writeAudit(ctx.db, req.principal!, 'invitation.resend', { invitationId: id, recipientChanged });
      return invitationView(ctx.config, invitation);
    });

    app.post('/invitations/:id/cancel', { onRequest: officer }, async (req) => {
      const { id } = idParams.parse(req.params);
      const invitation = await cancelInvitation(ctx, req.principal!, id);
      await writeAudit(ctx.db, req.principal!, 'invitation.cancel', { invitationId: id });
      return invitationView(ctx.config, invitation);
    });

    app.get('/invitations/:id', { onRequest: officer }, async (req) => {
      const { id } = idParams.parse(req.params);
      return invitationView(ctx.config, await findOwn(req.principal!, id));
    });

    app.get('/invitations/:id/qr.png', { onRequest: officer }, async (req, reply) => {
      const { id } = idParams.parse(req.params);
      const inv = await findOwn(req.principal!, id);
      const links = invitationLinks(ctx.config, inv.token);
      const target = inv.channel === 'zalo' ? links.zalo : links.telegram;
      if (!target) throw new AppError('conflict', 'no_link', `the ${inv.channel} channel has no public link configured (TELEGRAM_BOT_USERNAME / ZALO_OA_ID)`);
      const png = await qr.png(target);
      return reply.type('image/png').header('cache-control', 'private, max-age=300').send(png);
    });
  };
}
