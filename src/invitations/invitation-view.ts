import type { AppConfig } from '../config/load-config.js';
import type { Invitation } from '../db/generated/client.js';
import { invitationLinks } from './invitation-links.js';

/** The API representation of an invitation: no phone, chat id or dossier code. */
export function invitationView(config: AppConfig, inv: Invitation) {
  return {
    id: inv.id,
    token: inv.token,
    code: inv.code,
    channel: inv.channel,
    status: inv.status,
    statusReason: inv.statusReason,
    links: invitationLinks(config, inv.token),
    createdAt: inv.createdAt.toISOString(),
    sentAt: inv.sentAt?.toISOString() ?? null,
    openedAt: inv.openedAt?.toISOString() ?? null,
    startedAt: inv.startedAt?.toISOString() ?? null,
    completedAt: inv.completedAt?.toISOString() ?? null,
    expiresAt: inv.expiresAt.toISOString(),
  };
}
