import { AppError } from '../core/app-error.js';
import type { Db } from '../db/prisma-client.js';
import { roundOpenFor } from './round-store.js';

/** Counted, non-trial completions of a unit in a round. */
export async function countedCompletions(db: Db, roundId: number, unitId: number): Promise<number> {
  return db.response.count({ where: { roundId, unitId, status: 'completed', counted: true, isTest: false } });
}

/**
 * The round a new invitation for this unit belongs to (none when no round is open for
 * it). When the round says `stop_inviting` and the unit already has its quota of counted
 * responses, the invitation is refused with a 409 (trial invitations are never refused).
 */
export async function roundForNewInvitation(db: Db, unit: { id: number; code: string }, now: Date, opts: { test?: boolean } = {}): Promise<number | null> {
  const round = await roundOpenFor(db, unit.id, now);
  if (!round) return null;
  if (round.onQuotaFull === 'stop_inviting' && !opts.test) {
    const done = await countedCompletions(db, round.id, unit.id);
    if (done >= round.target) {
      throw new AppError(
        'conflict',
        'quota_full',
        `unit ${unit.code} has reached its quota in round ${round.code} (${done} of ${round.target} counted responses) and the round stops inviting when a quota is full`,
        { round: round.code, unitCode: unit.code, target: round.target, completed: done },
      );
    }
  }
  return round.id;
}
