import type { Principal } from '../auth/principal.js';
import { canUseUnit } from '../auth/principal.js';
import { AppError } from '../core/app-error.js';
import type { Invitation } from '../db/generated/client.js';
import type { Db } from '../db/prisma-client.js';
import type { CreateInvitationRequest } from './create-invitation-request.js';
import { generateInvitationToken, generateShortCode } from './invitation-codes.js';
import { hasRecipient, recipientFields } from './invitation-recipient.js';

/** The row no longer has the status it was read with (P2025: no row matched): a concurrent change won. */
function changedMeanwhile(err: unknown): never {
  if ((err as { code?: string }).code === 'P2025') throw new AppError('conflict', 'invitation_changed', 'the invitation changed meanwhile: read it again');
  throw err;
}

/**
 * Once someone has opened it (the conversation may go on from there) or it is over, an
 * invitation can no longer be resent or cancelled.
 */
const FINAL = new Set(['opened', 'started', 'completed', 'opted_out', 'expired', 'cancelled']);

async function changeable(db: Db, principal: Principal, id: string, action: string): Promise<Invitation> {
  const inv = await db.invitation.findUnique({ where: { id }, include: { unit: { select: { code: true } } } });
  if (!inv || !canUseUnit(principal, inv.unit.code)) throw AppError.notFound('no such invitation');
  if (FINAL.has(inv.status)) throw new AppError('conflict', 'invitation_final', `an invitation that is ${inv.status} cannot be ${action}${inv.status === 'opened' ? ' (the citizen has opened it and may still answer)' : ''}`);
  return inv;
}

/**
 * Sends an invitation again, to a corrected recipient when one is given (it replaces the
 * old one entirely: the old chat id or phone is not used again, and the invitation gets a
 * new link and code, so whoever got the first one cannot answer it). Refused once the survey
 * was started or the invitation is over. Returns the invitation and the resend's number
 * (its delivery job is a new one).
 */
export async function resendInvitation(deps: { db: Db; now: () => Date }, principal: Principal, id: string, recipient: CreateInvitationRequest['recipient']) {
  const inv = await changeable(deps.db, principal, id, 'sent again');
  const fields = recipient ? recipientFields(inv.channel, recipient) : { recipientPhone: inv.recipientPhone, recipientChatId: inv.recipientChatId, recipientZaloId: inv.recipientZaloId };
  if (!hasRecipient(fields) && inv.channel !== 'simulator') throw new AppError('unprocessable', 'no_recipient', 'this invitation has no recipient to send it to: give one (telegramChatId, zaloUserId or phone)');
  const updated = await deps.db.invitation.update({
    where: { id, status: inv.status },
    data: { ...fields, ...(recipient ? { token: generateInvitationToken(), code: generateShortCode() } : {}), status: 'queued', statusReason: null, queuedAt: deps.now() },
  }).catch(changedMeanwhile);
  const resends = await deps.db.auditLog.count({ where: { action: 'invitation.resend', details: { path: ['invitationId'], equals: id } } });
  return { invitation: updated, resend: resends + 1, recipientChanged: Boolean(recipient) };
}

/** Cancels an invitation not yet started: its link and code start nothing, and its recipient is forgotten. */
export async function cancelInvitation(deps: { db: Db; now: () => Date }, principal: Principal, id: string): Promise<Invitation> {
  const inv = await changeable(deps.db, principal, id, 'cancelled');
  return deps.db.invitation
    .update({
      where: { id, status: inv.status },
      data: { status: 'cancelled', statusReason: 'cancelled by an officer', expiredAt: deps.now(), recipientPhone: null, recipientChatId: null, recipientZaloId: null, dossierCode: null },
    })
    .catch(changedMeanwhile);
}
