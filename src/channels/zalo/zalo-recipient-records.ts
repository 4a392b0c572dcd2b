import type { Db } from '../../db/prisma-client.js';
import type { ZaloFailure } from './classify-zalo-error.js';

export type ZaloFailureTarget = { userId?: string; invitationId?: string };
export type ZaloRecordOutcome = 'respondent_unreachable' | 'invitation_undeliverable' | 'none';

/** Invitation states an undeliverable result may overwrite (never a started or finished survey). */
const OPEN_INVITATION = ['created', 'queued', 'sent'] as const;

/**
 * Persists what a permanent Zalo failure means:
 * - silent (-230/-232): the respondent is unreachable by CS (`zalo_cs_silent`) until they write again;
 * - unreachable (-213/-217/-244): stop sending to them (`zalo_unreachable`);
 * - undeliverable (ZNS -108/-118, bad phone): the invitation becomes `undeliverable` with the reason.
 * Other failures are transient and change nothing.
 */
export async function recordZaloFailure(db: Db, failure: ZaloFailure, target: ZaloFailureTarget, now: Date = new Date()): Promise<ZaloRecordOutcome> {
  const code = failure.code === null ? 'local' : `error ${failure.code}`;
  if ((failure.kind === 'silent' || failure.kind === 'unreachable') && target.userId) {
    const unreachableReason = `${failure.kind === 'silent' ? 'zalo_cs_silent' : 'zalo_unreachable'} (${code})`;
    await db.respondent.upsert({
      where: { channel_externalId: { channel: 'zalo', externalId: target.userId } },
      create: { channel: 'zalo', externalId: target.userId, unreachableAt: now, unreachableReason },
      update: { unreachableAt: now, unreachableReason },
    });
    return 'respondent_unreachable';
  }
  if (failure.kind === 'undeliverable' && target.invitationId) {
    const { count } = await db.invitation.updateMany({
      where: { id: target.invitationId, status: { in: [...OPEN_INVITATION] } },
      data: { status: 'undeliverable', statusReason: `zns_${failure.reason} (${code})` },
    });
    return count > 0 ? 'invitation_undeliverable' : 'none';
  }
  return 'none';
}

/** A user who writes to the OA (or follows again) can be reached by CS again. */
export async function clearZaloUnreachable(db: Db, userId: string): Promise<void> {
  await db.respondent.updateMany({
    where: { channel: 'zalo', externalId: userId, unreachableAt: { not: null } },
    data: { unreachableAt: null, unreachableReason: null },
  });
}
