import type { Db } from '../db/prisma-client.js';
import type { UnitInput } from './unit-schema.js';

/** Inserts or updates all units in one transaction; returns how many were new. */
export async function upsertUnits(db: Db, units: UnitInput[]): Promise<{ created: number; updated: number }> {
  const existing = new Set((await db.unit.findMany({ where: { code: { in: units.map((u) => u.code) } }, select: { code: true } })).map((u) => u.code));
  await db.$transaction(
    units.map((u) =>
      db.unit.upsert({
        where: { code: u.code },
        create: { code: u.code, name: u.name, group: u.group, parentCode: u.parentCode },
        update: { name: u.name, group: u.group, parentCode: u.parentCode, active: true },
      }),
    ),
  );
  return { created: units.filter((u) => !existing.has(u.code)).length, updated: units.filter((u) => existing.has(u.code)).length };
}
