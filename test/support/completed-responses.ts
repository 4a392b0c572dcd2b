import type { Db } from '../../src/db/prisma-client.js';
import { waitUntil } from './wait-until.js';

/**
 * A completed response keeps no link to its invitation or respondent (anonymity at
 * rest), so a test finds the one its survey produced as the response that completed
 * after a snapshot of the completed ones.
 */
export async function completedResponseIds(db: Db): Promise<Set<string>> {
  return new Set((await db.response.findMany({ where: { status: 'completed' }, select: { id: true } })).map((r) => r.id));
}

/** Waits for the one response completed since `before`, with its answers and unit. */
export async function responseCompletedSince(db: Db, before: Set<string>, what = 'response completed') {
  return waitUntil(async () => {
    const rows = await db.response.findMany({ where: { status: 'completed', id: { notIn: [...before] } }, include: { answers: true, unit: true } });
    if (rows.length > 1) throw new Error(`expected one new completed response, found ${rows.length}`);
    return rows[0];
  }, what);
}
