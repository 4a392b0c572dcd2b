import type { Db } from '../../db/prisma-client.js';

/** Why CS messages to a Zalo user are not sent; `fallback`: an invitation may still go by ZNS. */
export type ZaloRecipientBlock = { fallback: boolean; reason: string };

/**
 * Checks the respondent row before a CS send. Unreachable users (unfollowed, blocked,
 * silent for 7 days) get nothing until they write again, which clears the mark. An
 * opt-out only stops messages the citizen did not ask for (invitations, reminders):
 * a reply to their own message always goes out.
 */
export async function zaloRecipientBlock(db: Db, userId: string, kind: 'invitation' | 'reminder' | 'reply'): Promise<ZaloRecipientBlock | null> {
  const r = await db.respondent.findUnique({
    where: { channel_externalId: { channel: 'zalo', externalId: userId } },
    select: { unreachableAt: true, unreachableReason: true, optedOutAt: true },
  });
  if (!r) return null;
  if (r.unreachableAt) {
    const reason = r.unreachableReason ?? 'zalo_unreachable';
    return { fallback: reason.startsWith('zalo_cs_silent'), reason };
  }
  if (kind !== 'reply' && r.optedOutAt) return { fallback: false, reason: 'recipient_opted_out' };
  return null;
}
