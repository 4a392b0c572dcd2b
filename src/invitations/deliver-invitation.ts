import { UnrecoverableError } from 'bullmq';
import type { AppContext } from '../core/app-context.js';
import { enqueueOutbound } from '../outbound/enqueue-outbound.js';
import { outboundJobs } from '../outbound/outbound-job.js';
import { invitationLinks } from './invitation-links.js';
import { invitationText } from './invitation-text.js';

/** Zalo delivery (CS message or ZNS by phone) is plugged in by the Zalo channel. */
export type ZaloInvitationDelivery = (invitationId: string) => Promise<void>;

/**
 * Turns a queued invitation into a message on its channel. Telegram: a bot message to a
 * chat that has talked to the bot before (bots cannot open conversations).
 */
export async function deliverInvitation(ctx: AppContext, invitationId: string, zalo?: ZaloInvitationDelivery): Promise<void> {
  const inv = await ctx.db.invitation.findUnique({ where: { id: invitationId }, include: { unit: true } });
  if (!inv) throw new UnrecoverableError('invitation vanished');
  if (!['created', 'queued'].includes(inv.status)) return;
  if (inv.expiresAt <= ctx.now()) {
    await ctx.db.invitation.update({ where: { id: inv.id }, data: { status: 'expired', expiredAt: ctx.now() } });
    return;
  }
  if (inv.channel === 'zalo') {
    if (!zalo) throw new UnrecoverableError('the Zalo channel is not configured');
    return zalo(inv.id);
  }
  if (inv.channel === 'telegram' && inv.recipientChatId) {
    const link = invitationLinks(ctx.config, inv.token).telegram ?? `/start ${inv.token}`;
    const text = invitationText({ unitName: inv.unit.name, link, code: inv.code, expiresAt: inv.expiresAt });
    const enqueue = { queues: ctx.queues, redis: ctx.redis, prefix: ctx.config.redisPrefix };
    await enqueueOutbound(enqueue, outboundJobs.telegram, { batchId: `inv-${inv.id}`, userRef: inv.recipientChatId, messages: [{ type: 'text', text }], kind: 'invitation', invitationId: inv.id });
    return;
  }
  throw new UnrecoverableError(`invitation has no ${inv.channel} recipient to deliver to`);
}
