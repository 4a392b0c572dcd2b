import type { FastifyPluginAsync } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import { canUseUnit } from '../auth/principal.js';
import { createInvitationRequestSchema } from '../invitations/create-invitation-request.js';
import { createInvitation } from '../invitations/create-invitation.js';
import { invitationLinks } from '../invitations/invitation-links.js';
import { invitationView } from '../invitations/invitation-view.js';
import { deliverInvitationJob } from '../invitations/deliver-invitation-job.js';
import type { AppContext } from '../runtime/app-context.js';
import { ApiError } from './api-error.js';
import { requireRole } from './require-auth.js';

const idParams = z.object({ id: z.uuid() });

/** Officers and the one-stop system create invitations; the QR code is printed at the counter. */
export function invitationsRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const officer = requireRole(ctx, 'admin', 'officer');

    const findOwn = async (principal: Parameters<typeof canUseUnit>[0], id: string) => {
      const inv = await ctx.db.invitation.findUnique({ where: { id }, include: { unit: true } });
      if (!inv || !canUseUnit(principal, inv.unit.code)) throw ApiError.notFound('no such invitation');
      return inv;
    };

    app.post('/invitations', { preHandler: officer }, async (req, reply) => {
      const body = createInvitationRequestSchema.parse(req.body);
      const { invitation, created } = await createInvitation(ctx, req.principal!, body);
      const hasRecipient = Boolean(invitation.recipientChatId || invitation.recipientZaloId || invitation.recipientPhone);
      if (created && hasRecipient) {
        await ctx.queues.add(deliverInvitationJob, { invitationId: invitation.id });
        await ctx.db.invitation.update({ where: { id: invitation.id }, data: { status: 'queued', queuedAt: ctx.now() } });
        invitation.status = 'queued';
      }
      return reply.status(created ? 201 : 200).send(invitationView(ctx.config, invitation));
    });

    app.get('/invitations/:id', { preHandler: officer }, async (req) => {
      const { id } = idParams.parse(req.params);
      return invitationView(ctx.config, await findOwn(req.principal!, id));
    });

    app.get('/invitations/:id/qr.png', { preHandler: officer }, async (req, reply) => {
      const { id } = idParams.parse(req.params);
      const inv = await findOwn(req.principal!, id);
      const links = invitationLinks(ctx.config, inv.token);
      const target = inv.channel === 'zalo' ? links.zalo : links.telegram;
      if (!target) throw new ApiError(409, 'no_link', `the ${inv.channel} channel has no public link configured (TELEGRAM_BOT_USERNAME / ZALO_OA_ID)`);
      const png = await QRCode.toBuffer(target, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
      return reply.type('image/png').header('cache-control', 'private, max-age=300').send(png);
    });
  };
}
