import { AppError } from '../core/app-error.js';
import { vietnamDay } from '../core/vietnam-day.js';
import type { Db } from '../db/prisma-client.js';
import type { Prisma } from '../db/generated/client.js';
import type { CreateRound, PatchRound } from './round-schema.js';

/**
 * This module owns the `rounds` and `round_quotas` tables. A unit is in at most one
 * round on any day (rounds sharing a unit may not overlap), so "the round open for a unit
 * at a moment" is always one round or none.
 */

export const roundWithQuotas = { questionnaire: { select: { code: true, version: true } }, quotas: { include: { unit: { select: { code: true, name: true, group: true } } } } } as const;
export type RoundWithQuotas = Prisma.RoundGetPayload<{ include: typeof roundWithQuotas }>;

const day = (s: string) => new Date(`${s}T00:00:00Z`);
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const todayOf = (now: Date) => isoDay(vietnamDay(now));

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

async function unitIdsOf(db: Db, quotas: { unitCode: string }[]): Promise<Map<string, number>> {
  const units = await db.unit.findMany({ where: { code: { in: quotas.map((q) => q.unitCode) } }, select: { id: true, code: true } });
  const ids = new Map(units.map((u) => [u.code, u.id]));
  const unknown = quotas.map((q) => q.unitCode).filter((c) => !ids.has(c));
  if (unknown.length) throw new AppError('unprocessable', 'unknown_unit', `no unit with code ${unknown.slice(0, 10).map((c) => `"${c}"`).join(', ')}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}`, { unknownUnits: unknown.slice(0, 100) });
  return ids;
}

/** Another round sharing one of these units whose window meets [opensOn, closesOn]: a 409 naming it. */
async function refuseOverlap(tx: Prisma.TransactionClient, roundId: number | null, unitIds: number[], opensOn: string, closesOn: string) {
  const clash = await tx.$queryRaw<{ code: string; unit: string }[]>`
    SELECT r.code, u.code AS unit FROM round_quotas q JOIN rounds r ON r.id = q.round_id JOIN units u ON u.id = q.unit_id
    WHERE q.unit_id = ANY(${unitIds}::int[]) AND r.id IS DISTINCT FROM ${roundId}::int
      AND daterange(r.opens_on, r.closes_on, '[]') && daterange(${opensOn}::date, ${closesOn}::date, '[]')
    LIMIT 1`;
  if (clash[0]) throw new AppError('conflict', 'round_overlap', `unit ${clash[0].unit} is already in round ${clash[0].code} on some of these days: a unit belongs to one round at a time`);
}

export async function createRound(db: Db, body: CreateRound, questionnaireId: number): Promise<RoundWithQuotas> {
  if (await db.round.findUnique({ where: { code: body.code }, select: { id: true } })) throw new AppError('conflict', 'round_exists', `a round with code "${body.code}" already exists`);
  const ids = await unitIdsOf(db, body.quotas);
  try {
    return await db.$transaction(async (tx) => {
      await refuseOverlap(tx, null, [...ids.values()], body.opensOn, body.closesOn);
      return tx.round.create({
        data: {
          code: body.code,
          name: body.name,
          questionnaireId,
          opensOn: day(body.opensOn),
          closesOn: day(body.closesOn),
          eligibleFrom: body.eligibleFrom ? day(body.eligibleFrom) : null,
          eligibleTo: body.eligibleTo ? day(body.eligibleTo) : null,
          onQuotaFull: body.onQuotaFull,
          quotas: { create: body.quotas.map((q) => ({ unitId: ids.get(q.unitCode)!, target: q.target })) },
        },
        include: roundWithQuotas,
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', 'round_exists', `a round with code "${body.code}" already exists`);
    throw err;
  }
}

export async function findRound(db: Db, code: string): Promise<RoundWithQuotas> {
  const round = await db.round.findUnique({ where: { code }, include: roundWithQuotas });
  if (!round) throw AppError.notFound(`no round with code "${code}"`, 'unknown_round');
  return round;
}

export const listRounds = (db: Db): Promise<RoundWithQuotas[]> => db.round.findMany({ include: roundWithQuotas, orderBy: [{ opensOn: 'desc' }, { code: 'asc' }] });

/** Applies a PATCH; closing early ends the round today (its last day becomes today). */
export async function patchRound(db: Db, code: string, patch: PatchRound, now: Date): Promise<{ round: RoundWithQuotas; closedNow: boolean }> {
  const current = await findRound(db, code);
  if (current.closedAt && !patch.name) throw new AppError('conflict', 'round_closed', `round ${code} is closed; only its name can change`);
  const today = todayOf(now);
  const opensOn = patch.opensOn ?? isoDay(current.opensOn);
  let closesOn = patch.closesOn ?? isoDay(current.closesOn);
  if (patch.close && closesOn > today) closesOn = today;
  if (opensOn > closesOn) throw AppError.invalid(`"opensOn" (${opensOn}) must not be after "closesOn" (${closesOn})`);
  const ids = patch.quotas ? await unitIdsOf(db, patch.quotas) : new Map(current.quotas.map((q) => [q.unit.code, q.unitId]));
  const round = await db.$transaction(async (tx) => {
    await refuseOverlap(tx, current.id, [...ids.values()], opensOn, closesOn);
    if (patch.quotas) {
      await tx.roundQuota.deleteMany({ where: { roundId: current.id } });
      await tx.roundQuota.createMany({ data: patch.quotas.map((q) => ({ roundId: current.id, unitId: ids.get(q.unitCode)!, target: q.target })) });
    }
    return tx.round.update({
      where: { id: current.id },
      data: {
        ...(patch.name ? { name: patch.name } : {}),
        opensOn: day(opensOn),
        closesOn: day(closesOn),
        ...(patch.eligibleFrom !== undefined ? { eligibleFrom: patch.eligibleFrom ? day(patch.eligibleFrom) : null } : {}),
        ...(patch.eligibleTo !== undefined ? { eligibleTo: patch.eligibleTo ? day(patch.eligibleTo) : null } : {}),
        ...(patch.onQuotaFull ? { onQuotaFull: patch.onQuotaFull } : {}),
        ...(patch.close && !current.closedAt ? { closedAt: now } : {}),
      },
      include: roundWithQuotas,
    });
  });
  return { round, closedNow: Boolean(patch.close && !current.closedAt) };
}

/** The round open for a unit on a day (Asia/Ho_Chi_Minh), with the unit's target: none when the deployment runs without rounds. */
export async function roundOpenFor(db: Db | Prisma.TransactionClient, unitId: number, at: Date): Promise<{ id: number; code: string; onQuotaFull: string; target: number } | null> {
  const rows = await db.$queryRaw<{ id: number; code: string; onQuotaFull: string; target: number }[]>`
    SELECT r.id, r.code, r.on_quota_full AS "onQuotaFull", q.target FROM round_quotas q JOIN rounds r ON r.id = q.round_id
    WHERE q.unit_id = ${unitId} AND r.closed_at IS NULL AND ${todayOf(at)}::date BETWEEN r.opens_on AND r.closes_on
    LIMIT 1`;
  return rows[0] ?? null;
}

/** Rounds past their last day that have not been closed yet (the sweep closes them). */
export const roundsDueToClose = (db: Db, now: Date) =>
  db.round.findMany({ where: { closedAt: null, closesOn: { lt: day(todayOf(now)) } }, select: { id: true, code: true } });

export const markClosed = (db: Db, roundId: number, now: Date) => db.round.updateMany({ where: { id: roundId, closedAt: null }, data: { closedAt: now } });

/** Every unit code with its round windows (for the counted-mark period of the webhook path). */
export async function openRoundWindows(db: Db): Promise<{ unitCode: string; code: string; opensOn: string; closesOn: string }[]> {
  const rows = await db.$queryRaw<{ unitCode: string; code: string; opensOn: Date; closesOn: Date }[]>`
    SELECT u.code AS "unitCode", r.code, r.opens_on AS "opensOn", r.closes_on AS "closesOn"
    FROM round_quotas q JOIN rounds r ON r.id = q.round_id JOIN units u ON u.id = q.unit_id WHERE r.closed_at IS NULL`;
  return rows.map((r) => ({ unitCode: r.unitCode, code: r.code, opensOn: isoDay(r.opensOn), closesOn: isoDay(r.closesOn) }));
}

/** The seed of the round's draw, recorded once (a later upload draws with the same). */
export const recordSampleSeed = (db: Db, roundId: number, seed: string) => db.round.updateMany({ where: { id: roundId, sampleSeed: null }, data: { sampleSeed: seed } });
