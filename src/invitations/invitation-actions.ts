import { canUseUnit, type Principal } from '../auth/principal.js';
import { writeAudit } from '../audit/write-audit.js';
import type { AppConfig } from '../config/load-config.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import type { Invitation } from '../db/generated/client.js';
import type { Db } from '../db/prisma-client.js';
import { deliverInvitationJob } from '../queues/job-catalog.js';
import { cancelInvitation, resendInvitation } from './change-invitation.js';
import type { CreateInvitationRequest } from './create-invitation-request.js';
import { invitationLinks } from './invitation-links.js';
import type { BulkRow } from './parse-bulk-invitations.js';
import { startInvitationBatch, type StartedBatch } from './start-invitation-batch.js';

/**
 * What an officer does to invitations, shared by the JSON API and the web console so both
 * queue and audit alike. Audit details never hold personal data.
 */
type Deps = Pick<AppContext, 'db' | 'now' | 'queues'>;

/** An invitation with its unit, if the principal may see it; another unit's is "not found" (its existence is not revealed). */
export async function findOwnInvitation(db: Db, principal: Principal, id: string) {
  const inv = await db.invitation.findUnique({ where: { id }, include: { unit: true } });
  if (!inv || !canUseUnit(principal, inv.unit.code)) throw AppError.notFound('no such invitation');
  return inv;
}

/** Resends (to a corrected recipient when given), queues its own delivery job and audits that the recipient changed, never what it is. */
export async function resendAndQueue(deps: Deps, principal: Principal, id: string, recipient: CreateInvitationRequest['recipient']): Promise<Invitation> {
  const { invitation, resend, recipientChanged } = await resendInvitation(deps, principal, id, recipient);
  await deps.queues.add(deliverInvitationJob, { invitationId: id, resend });
  await writeAudit(deps.db, principal, 'invitation.resend', { invitationId: id, recipientChanged });
  return invitation;
}

export async function cancelAndAudit(deps: Deps, principal: Principal, id: string): Promise<Invitation> {
  const invitation = await cancelInvitation(deps, principal, id);
  await writeAudit(deps.db, principal, 'invitation.cancel', { invitationId: id });
  return invitation;
}

/** Stores a validated upload as a background batch and audits its counts. */
export async function startBulkAndAudit(deps: Deps, principal: Principal, rows: BulkRow[]): Promise<StartedBatch> {
  const started = await startInvitationBatch(deps, principal, rows);
  await writeAudit(deps.db, principal, 'invitations.bulk', { batchId: started.batchId, total: started.total, accepted: started.accepted, rejected: started.rejected.length });
  return started;
}

/** What an invitation's QR code opens: its channel's public link (a 409 when that channel has none configured). */
export function invitationQrTarget(config: AppConfig, inv: Pick<Invitation, 'channel' | 'token'>): string {
  const links = invitationLinks(config, inv.token);
  const target = inv.channel === 'zalo' ? links.zalo : links.telegram;
  if (!target) throw new AppError('conflict', 'no_link', `the ${inv.channel} channel has no public link configured (TELEGRAM_BOT_USERNAME / ZALO_OA_ID)`);
  return target;
}
