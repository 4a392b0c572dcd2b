import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { deliverInvitationJob } from '../queues/job-catalog.js';
import type { CreateInvitationRequest } from './create-invitation-request.js';
import { createInvitation, type CreateInvitationOptions, type CreateInvitationResult } from './create-invitation.js';

export type CreateAndQueueDeps = Pick<AppContext, 'db' | 'config' | 'catalog' | 'now' | 'queues'>;

/**
 * Creates (or finds) an invitation and queues its delivery when it names a recipient: the
 * one path of `POST /invitations` and of the bulk worker. An invitation found again that
 * names a recipient but was never queued (its creator died in between) is queued now; the
 * delivery job's id is the invitation's, so queueing twice sends once.
 */
export async function createAndQueue(deps: CreateAndQueueDeps, principal: Principal, body: CreateInvitationRequest, opts: CreateInvitationOptions = {}): Promise<CreateInvitationResult> {
  const { invitation, created } = await createInvitation(deps, principal, body, opts);
  const hasRecipient = Boolean(invitation.recipientChatId || invitation.recipientZaloId || invitation.recipientPhone);
  // A simulator invitation reaches no one: its "delivery" only marks it sent.
  if (invitation.status === 'created' && (hasRecipient || invitation.channel === 'simulator')) {
    // Job first: a crash in between leaves a `created` invitation that the job delivers all the same
    // (and that a retry finds and queues again); the status only moves on if the job has not already sent it.
    await deps.queues.add(deliverInvitationJob, { invitationId: invitation.id });
    await deps.db.invitation.updateMany({ where: { id: invitation.id, status: 'created' }, data: { status: 'queued', queuedAt: deps.now() } });
    invitation.status = 'queued';
  }
  return { invitation, created };
}
