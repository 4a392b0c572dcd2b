import type { Db } from '../../db/prisma-client.js';
import type { ChannelInvitationDelivery } from '../../invitations/deliver-invitation.js';
import { markInvitationSent } from '../../invitations/invitation-outcome.js';

/**
 * The simulator has no platform to send through: a simulator invitation is marked sent at
 * once, so a trial follows the officer's workflow (queued → sent → opened → …) and is then
 * answered with `npm run simulate -- --invitation <code>`.
 */
export function simulatorInvitationDelivery(deps: { db: Db; now: () => Date }): ChannelInvitationDelivery {
  return (inv) => markInvitationSent(deps.db, inv.id, deps.now());
}
