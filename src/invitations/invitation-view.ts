import type { AppConfig } from '../config/load-config.js';
import type { Invitation } from '../db/generated/client.js';
import { invitationLinks } from './invitation-links.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;
const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;

/**
 * The API representation of an invitation: no phone, chat id or dossier code. Once the
 * survey is done, only its status and completion day are shown — an exact time would tie
 * a known dossier to one response in a report.
 */
export function invitationView(config: AppConfig, inv: Invitation & { unit?: { code: string }; round?: { code: string } | null }) {
  const done = inv.status === 'completed';
  return {
    id: inv.id,
    token: inv.token,
    code: inv.code,
    channel: inv.channel,
    ...(inv.unit ? { unitCode: inv.unit.code } : {}),
    ...(inv.round !== undefined ? { round: inv.round?.code ?? null } : {}),
    status: inv.status,
    test: inv.isTest,
    statusReason: inv.statusReason,
    links: invitationLinks(config, inv.token),
    createdAt: iso(inv.createdAt),
    sentAt: done ? null : iso(inv.sentAt),
    openedAt: done ? null : iso(inv.openedAt),
    startedAt: done ? null : iso(inv.startedAt),
    completedDay: day(inv.completedDay) ?? (done ? day(inv.completedAt) : null),
    expiresAt: iso(inv.expiresAt),
  };
}
