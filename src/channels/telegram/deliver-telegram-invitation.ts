import { UnrecoverableError } from 'bullmq';
import type { AppConfig } from '../../config/load-config.js';
import type { ChannelInvitationDelivery } from '../../invitations/deliver-invitation.js';
import { invitationLinks } from '../../invitations/invitation-links.js';
import { invitationSendKey } from '../../invitations/invitation-send-key.js';
import { invitationText, unopenedReminderText } from '../../invitations/invitation-text.js';
import { invitationSurveyLength } from '../../invitations/invitation-survey-length.js';
import { enqueueOutbound, type OutboundEnqueueDeps } from '../../outbound/enqueue-outbound.js';
import { outboundJobs } from '../../queues/job-catalog.js';

/**
 * Telegram: a bot message with the deep link, to a chat that has talked to the bot
 * before (bots cannot open conversations), through the chat's outbound lane.
 */
export function telegramInvitationDelivery(deps: OutboundEnqueueDeps & { config: AppConfig }): ChannelInvitationDelivery {
  return async (inv, kind = 'invitation') => {
    if (!inv.recipientChatId) throw new UnrecoverableError('invitation has no telegram recipient to deliver to');
    const link = invitationLinks(deps.config, inv.token).telegram ?? `/start ${inv.token}`;
    const fields = { unitName: inv.unit.name, link, code: inv.code, expiresAt: inv.expiresAt };
    const text = kind === 'reminder' ? unopenedReminderText(fields) : invitationText({ ...fields, length: invitationSurveyLength(inv.questionnaire) });
    const batchId = kind === 'reminder' ? `unopened-${inv.id}` : `inv-${invitationSendKey(inv)}`;
    await enqueueOutbound(deps, outboundJobs.telegram, { batchId, userRef: inv.recipientChatId, messages: [{ type: 'text', text }], kind, invitationId: inv.id });
  };
}
