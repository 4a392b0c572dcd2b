import { UnrecoverableError } from 'bullmq';
import type { Invitation, Questionnaire, Unit } from '../db/generated/client.js';
import type { Db } from '../db/prisma-client.js';

/** With its questionnaire: the invitation says how long the survey is (see invitation-survey-length.ts). */
export type InvitationWithUnit = Invitation & { unit: Unit; questionnaire: Questionnaire };

/**
 * A channel slice's way to send one queued, unexpired invitation (telegram: a bot message;
 * zalo: CS or ZNS), or, as `reminder`, the one reminder to someone who never opened it.
 */
export type ChannelInvitationDelivery = (invitation: InvitationWithUnit, kind?: 'invitation' | 'reminder') => Promise<void>;
export type InvitationDeliveries = Partial<Record<Invitation['channel'], ChannelInvitationDelivery>>;

/**
 * Turns a queued invitation into a message on its channel: skips one no longer queued,
 * expires one past its date, and hands the rest to the channel's delivery. A channel
 * without a delivery (not configured) cannot ever send it.
 */
export async function deliverInvitation(deps: { db: Db; now: () => Date; deliveries: InvitationDeliveries }, invitationId: string): Promise<void> {
  const { db } = deps;
  const inv = await db.invitation.findUnique({ where: { id: invitationId }, include: { unit: true, questionnaire: true } });
  if (!inv) throw new UnrecoverableError('invitation vanished');
  if (!['created', 'queued'].includes(inv.status)) return;
  if (inv.expiresAt <= deps.now()) {
    await db.invitation.update({ where: { id: inv.id }, data: { status: 'expired', expiredAt: deps.now() } });
    return;
  }
  const deliver = deps.deliveries[inv.channel];
  if (!deliver) throw new UnrecoverableError(`the ${inv.channel} channel is not configured`);
  await deliver(inv);
}
