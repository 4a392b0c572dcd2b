import { Prisma } from '../db/generated/client.js';
import type { Db } from '../db/prisma-client.js';
import { isoDay } from './round-store.js';

/** Counted completions of a round per Vietnam day (invited and open survey), for the given units only. */
export async function roundDailyCompletions(db: Db, roundId: number, unitIds: number[]): Promise<{ day: string; completed: number }[]> {
  if (unitIds.length === 0) return [];
  const rows = await db.$queryRaw<{ day: Date; n: number }[]>`
    SELECT completed_day AS day, count(*)::int AS n FROM responses
    WHERE round_id = ${roundId} AND status = 'completed' AND counted AND NOT is_test AND unit_id IN (${Prisma.join(unitIds)}) AND completed_day IS NOT NULL
    GROUP BY completed_day ORDER BY completed_day`;
  return rows.map((r) => ({ day: isoDay(r.day), completed: r.n }));
}
