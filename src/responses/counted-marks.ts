import { keyedHash } from '../core/keyed-hash.js';
import type { Db } from '../db/prisma-client.js';
import type { RawSql } from '../db/sql-pool.js';

/**
 * One counted response per person, unit and survey period. A mark is a keyed hash of the
 * four: it says "this person has been counted for this unit in this period" to whoever
 * holds the key and a guess, and nothing to anyone else; no mark is linked to a response.
 * This module owns the `counted_marks` table.
 */

export const countMarkOf = (key: string, person: { channel: string; userRef: string }, unitCode: string, period: string): string =>
  keyedHash(key, 'counted', person.channel, person.userRef, unitCode, period);

/** Whether the person already has a counted response for the unit in the period (asked before an open survey starts). */
export async function isCounted(db: Db, mark: string): Promise<boolean> {
  return (await db.countedMark.count({ where: { mark } })) > 0;
}

/** Claims the marks of completing responses; returns the marks that were already taken (a second response of the same person). */
export async function claimCountedMarks(tx: RawSql, marks: { mark: string; period: string }[]): Promise<Set<string>> {
  if (marks.length === 0) return new Set();
  const unique = [...new Map(marks.map((m) => [m.mark, m])).values()].sort((a, b) => (a.mark < b.mark ? -1 : 1));
  const fresh = await tx.$queryRaw<{ mark: string }[]>`
    INSERT INTO counted_marks (mark, period)
    SELECT * FROM unnest(${unique.map((m) => m.mark)}::text[], ${unique.map((m) => m.period)}::text[])
    ON CONFLICT (mark) DO NOTHING
    RETURNING mark`;
  const claimed = new Set(fresh.map((r) => r.mark));
  return new Set(unique.filter((m) => !claimed.has(m.mark)).map((m) => m.mark));
}
