import type { Db } from '../db/prisma-client.js';

/** States a delivery outcome may overwrite: never an opened, started or finished survey. */
const UNSENT = ['created', 'queued'] as const;
const OPEN = ['created', 'queued', 'sent'] as const;

export async function markInvitationSent(db: Db, id: string, at: Date): Promise<void> {
  await db.invitation.updateMany({ where: { id, status: { in: [...UNSENT] } }, data: { status: 'sent', sentAt: at } });
}

/** `reason` is short and carries no personal data ("zns_no_zalo_account (error -118)"). */
export async function markInvitationUndeliverable(db: Db, id: string, reason: string): Promise<void> {
  await db.invitation.updateMany({ where: { id, status: { in: [...OPEN] } }, data: { status: 'undeliverable', statusReason: reason.slice(0, 200) } });
}
