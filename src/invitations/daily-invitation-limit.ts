import { AppError } from '../core/app-error.js';
import { VIETNAM_OFFSET_MS, vietnamDayBounds } from '../core/vietnam-day.js';
import type { Db } from '../db/prisma-client.js';
import type { Principal } from '../auth/principal.js';


/** Only stored keys (uuid ids) are counted: invitations keep their creator's key id only then. */
const countedKeyId = (principal: Principal) => (/^[0-9a-f-]{36}$/.test(principal.keyId) ? principal.keyId : null);

/** The 429 for a key at its limit: when the day resets (Vietnam time), and Retry-After in seconds. */
export function dailyLimitReached(limit: number, now: Date): AppError {
  const { end } = vietnamDayBounds(now);
  const retryAfterSeconds = Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
  const resetsAt = `${new Date(end.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10)}T00:00:00+07:00`;
  return new AppError(
    'rate_limited',
    'daily_invitation_limit',
    `this key has created its ${limit} invitations for today (Asia/Ho_Chi_Minh); the limit resets at 00:00 Vietnam time (${resetsAt})`,
    { limit, resetsAt, retryAfterSeconds },
  );
}

/**
 * Room left for one key's invitations today. `take()` is called just before an invitation
 * is inserted (an existing dossier's invitation costs nothing) and throws the 429 when the
 * key is at its limit; `release()` gives a slot back when the insert then failed.
 */
export type InvitationAllowance = { take(): Promise<void>; release(): void };

type Deps = { db: Db; config: { invitationsPerKeyPerDay: number }; now: () => Date };

/** Invitations the key created in the current Vietnam day (paid ZNS ones included: every channel counts). */
async function createdToday(db: Db, keyId: string, now: Date): Promise<number> {
  const { start, end } = vietnamDayBounds(now);
  return db.invitation.count({ where: { createdByKeyId: keyId, createdAt: { gte: start, lt: end } } });
}

/**
 * An allowance that counts the key's invitations once (on the first `take`) and then keeps
 * its own tally: a bulk upload's chunk asks the database once, not once per row. A single
 * invitation uses a fresh one. Concurrent requests of one key may overshoot by their number.
 */
export function dailyInvitationAllowance(deps: Deps, principal: Principal): InvitationAllowance {
  const limit = deps.config.invitationsPerKeyPerDay;
  const keyId = countedKeyId(principal);
  let used: Promise<number> | undefined;
  let taken = 0;
  return {
    async take() {
      if (limit === 0 || !keyId) return;
      const now = deps.now();
      used ??= createdToday(deps.db, keyId, now);
      const before = await used;
      if (before + taken >= limit) throw dailyLimitReached(limit, now);
      taken++;
    },
    release() {
      if (taken > 0) taken--;
    },
  };
}
