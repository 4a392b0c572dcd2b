import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../core/app-error.js';
import { dayField } from '../core/parse-day.js';
import type { Prisma } from '../db/generated/client.js';
import type { Db } from '../db/prisma-client.js';
import { lineField } from '../db/text-field.js';
import { dossierHashOf } from './dossier-hash.js';
import { normalizeShortCode } from './invitation-codes.js';
import { roundCodeSchema } from '../rounds/round-schema.js';
import { findRound } from '../rounds/round-store.js';

const STATUSES = ['created', 'queued', 'sent', 'opened', 'started', 'completed', 'expired', 'undeliverable', 'opted_out', 'cancelled'] as const;


/** Query of `GET /api/v1/invitations`: newest first, by creation day, one page after `cursor`. */
export const listInvitationsQuerySchema = z.object({
  /** A survey round's code. */
  round: roundCodeSchema.optional(),
  unit: lineField(64).optional(),
  status: z.enum(STATUSES).optional(),
  /** The short code (as typed: any case, with a dash) or the dossier code, matched exactly. */
  q: lineField(128).optional(),
  from: dayField.optional(),
  to: dayField.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListInvitationsQuery = z.infer<typeof listInvitationsQuerySchema>;

type Cursor = { at: Date; id: string };
const encodeCursor = (c: Cursor) => Buffer.from(`${c.at.toISOString()}|${c.id}`).toString('base64url');
function decodeCursor(text: string): Cursor {
  const [at, id] = Buffer.from(text, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime()) || !z.uuid().safeParse(id).success) throw AppError.invalid('"cursor" is not one this API gave out: start again without it');
  return { at: date, id };
}

const vietnamMidnight = (day: string) => new Date(`${day}T00:00:00+07:00`);
const nextDay = (day: string) => new Date(vietnamMidnight(day).getTime() + 24 * 3600_000);

/**
 * One page of the invitations the principal may see (an officer: its own units), newest
 * first. A dossier code is matched through its keyed hash too, so a dossier is found after
 * its survey is over and its plain code is gone. Nobody sees answers here.
 */
export async function listInvitations(deps: { db: Db; pseudonymKey: string }, principal: Principal, q: ListInvitationsQuery) {
  const { db } = deps;
  const scope = principal.role === 'admin' ? undefined : principal.unitCodes;
  if (q.unit && scope && !scope.includes(q.unit)) throw AppError.forbidden(`this key may not see unit ${q.unit}`);
  const units = await db.unit.findMany({ where: { ...(q.unit ? { code: q.unit } : {}), ...(scope ? { code: { in: scope } } : {}) }, select: { id: true } });
  const unitIds = units.map((u) => u.id);
  if (q.unit && unitIds.length === 0) throw AppError.notFound(`no unit with code "${q.unit}"`, 'unknown_unit');

  const and: Prisma.InvitationWhereInput[] = [];
  if (q.unit || scope) and.push({ unitId: { in: unitIds } });
  if (q.round) and.push({ roundId: (await findRound(db, q.round)).id });
  if (q.status) and.push({ status: q.status });
  if (q.from) and.push({ createdAt: { gte: vietnamMidnight(q.from) } });
  if (q.to) and.push({ createdAt: { lt: nextDay(q.to) } });
  if (q.q) {
    const code = normalizeShortCode(q.q);
    const searchUnits = q.unit || scope ? unitIds : (await db.unit.findMany({ select: { id: true } })).map((u) => u.id);
    and.push({
      OR: [
        ...(code ? [{ code }] : []),
        { dossierCode: q.q },
        { dossierHash: { in: searchUnits.map((id) => dossierHashOf(deps.pseudonymKey, id, q.q!)) } },
      ],
    });
  }
  if (q.cursor) {
    const c = decodeCursor(q.cursor);
    and.push({ OR: [{ createdAt: { lt: c.at } }, { createdAt: c.at, id: { lt: c.id } }] });
  }
  const rows = await db.invitation.findMany({ where: { AND: and }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: q.limit + 1, include: { unit: { select: { code: true } }, round: { select: { code: true } } } });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > q.limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
}
