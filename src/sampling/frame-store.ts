import type { Db } from '../db/prisma-client.js';
import type { Channel } from './frame-eligibility.js';

/**
 * This module owns the `frame_rows` table: a round's completed dossiers, their draw order
 * and their state — `pool` (eligible, not drawn), `drawn` (in the sample; invited once
 * `invitation_id` is set), `undeliverable` (drawn, could not be reached, replaced when
 * the pool allows), `refused` (drawn, the invitation was refused, e.g. a full quota).
 */

export type NewFrameRow = {
  unitId: number;
  procedureCode: string | null;
  dossierCode: string;
  completedOn: string;
  channel: Channel;
  recipientPhone: string | null;
  recipientChatId: string | null;
  recipientZaloId: string | null;
  drawKey: string;
};

/** Adds rows to the pool; a dossier already in the round's frame is left as it is. Returns how many were new. */
export async function addFrameRows(db: Db, roundId: number, rows: NewFrameRow[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const res = await db.frameRow.createMany({
      data: rows.slice(i, i + 1000).map((r) => ({ ...r, roundId, completedOn: new Date(`${r.completedOn}T00:00:00Z`) })),
      skipDuplicates: true,
    });
    added += res.count;
  }
  return added;
}

/** Per unit of the round: rows in the pool and rows in the sample (drawn, whether invited yet or not). */
export async function frameCounts(db: Db, roundId: number): Promise<Map<number, { pool: number; drawn: number; undeliverable: number }>> {
  const rows = await db.frameRow.groupBy({ by: ['unitId', 'state'], where: { roundId }, _count: { _all: true } });
  const out = new Map<number, { pool: number; drawn: number; undeliverable: number }>();
  for (const r of rows) {
    const c = out.get(r.unitId) ?? { pool: 0, drawn: 0, undeliverable: 0 };
    if (r.state === 'pool') c.pool += r._count._all;
    else if (r.state === 'drawn') c.drawn += r._count._all;
    else if (r.state === 'undeliverable') c.undeliverable += r._count._all;
    out.set(r.unitId, c);
  }
  return out;
}

/**
 * Draws the next `count` pool rows of a unit in draw-key order into the sample, each
 * with its wave's due time (`dueOf(i)` for the i-th drawn now).
 */
export async function drawRows(db: Db, roundId: number, unitId: number, count: number, waveOf: (i: number) => { wave: number; dueAt: Date }): Promise<number> {
  if (count <= 0) return 0;
  const picked = await db.frameRow.findMany({ where: { roundId, unitId, state: 'pool' }, orderBy: { drawKey: 'asc' }, take: count, select: { id: true } });
  const waves = picked.map((_, i) => waveOf(i));
  await db.$executeRaw`
    UPDATE frame_rows f SET state = 'drawn', wave = t.wave, invite_after = t.due
    FROM unnest(${picked.map((p) => p.id)}::bigint[], ${waves.map((w) => w.wave)}::int[], ${waves.map((w) => w.dueAt)}::timestamp[]) AS t(id, wave, due)
    WHERE f.id = t.id AND f.state = 'pool'`;
  return picked.length;
}

/** Drawn rows whose invitation is due, in rounds still open (personal data: used in the worker, never logged). */
export const dueFrameRows = (db: Db, now: Date, limit: number) =>
  db.frameRow.findMany({
    where: { state: 'drawn', invitationId: null, inviteAfter: { lte: now }, round: { closedAt: null } },
    include: { unit: { select: { code: true } }, round: { select: { id: true, questionnaire: { select: { code: true, version: true } } } } },
    orderBy: [{ inviteAfter: 'asc' }, { id: 'asc' }],
    take: limit,
  });

export const linkInvitation = (db: Db, rowId: bigint, invitationId: string) => db.frameRow.updateMany({ where: { id: rowId, invitationId: null }, data: { invitationId } });

export const refuseRow = (db: Db, rowId: bigint) => db.frameRow.updateMany({ where: { id: rowId, state: 'drawn' }, data: { state: 'refused' } });

/**
 * Drawn rows whose invitation proved undeliverable become `undeliverable`; returns them
 * (round, unit, wave) so a replacement can be drawn for each.
 */
export async function takeUndeliverable(db: Db): Promise<{ roundId: number; unitId: number; wave: number | null }[]> {
  return db.$queryRaw`
    UPDATE frame_rows f SET state = 'undeliverable'
    FROM invitations i, rounds r
    WHERE i.id = f.invitation_id AND r.id = f.round_id AND f.state = 'drawn' AND i.status = 'undeliverable' AND r.closed_at IS NULL
    RETURNING f.round_id AS "roundId", f.unit_id AS "unitId", f.wave`;
}

/** When a round closes: rows never drawn are deleted, and drawn rows forget their personal data (their invitations keep what they need). */
export async function forgetFrame(db: Db, roundId: number): Promise<{ deleted: number }> {
  const deleted = await db.frameRow.deleteMany({ where: { roundId, state: 'pool' } });
  await db.frameRow.updateMany({ where: { roundId }, data: { recipientPhone: null, recipientChatId: null, recipientZaloId: null, dossierCode: null } });
  return { deleted: deleted.count };
}
