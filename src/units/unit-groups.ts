import type { Db } from '../db/prisma-client.js';
import type { UnitGroupInput } from './unit-group-schema.js';

/** A unit group as configured (table `unit_groups`). */
export type UnitGroup = { code: string; label: string; order: number; rankSeparately: boolean };

/** Whether `group` is a defined unit group (a row of `unit_groups`; every group a unit names has one). */
export async function unitGroupExists(db: Db, group: string): Promise<boolean> {
  return (await db.unitGroup.count({ where: { code: group } })) > 0;
}

/** Every unit group, in report order (`order`, then code). */
export async function listUnitGroups(db: Db): Promise<UnitGroup[]> {
  return db.unitGroup.findMany({ select: { code: true, label: true, order: true, rankSeparately: true }, orderBy: [{ order: 'asc' }, { code: 'asc' }] });
}

/** Inserts or replaces the given groups in one transaction; returns how many were new. */
export async function upsertUnitGroups(db: Db, groups: UnitGroupInput[]): Promise<{ created: number; updated: number }> {
  const rows = await db.$queryRaw<{ inserted: boolean }[]>`
    INSERT INTO unit_groups (code, label, "order", rank_separately, updated_at)
    SELECT t.code, t.label, t.ord, t.sep, now() AT TIME ZONE 'UTC'
    FROM unnest(${groups.map((g) => g.code)}::text[], ${groups.map((g) => g.label)}::text[], ${groups.map((g) => g.order)}::int[], ${groups.map((g) => g.rankSeparately)}::boolean[]) AS t(code, label, ord, sep)
    ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label, "order" = EXCLUDED."order", rank_separately = EXCLUDED.rank_separately, updated_at = now() AT TIME ZONE 'UTC'
    RETURNING (xmax = 0) AS inserted`;
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: groups.length - created };
}
