import type { Db } from '../db/prisma-client.js';
import type { UnitInput } from './unit-schema.js';

/** Rows per statement: one upload of 10,000 units is five short statements, not 10,000. */
const BATCH = 2_000;

/**
 * Inserts or updates all units in one transaction, in multi-row statements (an upload of
 * the documented maximum stays one short transaction); returns how many were new.
 */
export async function upsertUnits(db: Db, units: UnitInput[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < units.length; i += BATCH) {
        const batch = units.slice(i, i + BATCH);
        const col = <K extends keyof UnitInput>(k: K) => batch.map((u) => u[k]);
        const rows = await tx.$queryRaw<{ inserted: boolean }[]>`
          INSERT INTO units (code, name, "group", parent_code, active, updated_at)
          SELECT t.code, t.name, t.grp, t.parent, true, now() AT TIME ZONE 'UTC'
          FROM unnest(${col('code')}::text[], ${col('name')}::text[], ${col('group')}::text[], ${col('parentCode')}::text[]) AS t(code, name, grp, parent)
          ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, "group" = EXCLUDED."group", parent_code = EXCLUDED.parent_code, active = true, updated_at = now() AT TIME ZONE 'UTC'
          RETURNING (xmax = 0) AS inserted`;
        created += rows.filter((r) => r.inserted).length;
      }
    },
    { timeout: 30_000 },
  );
  return { created, updated: units.length - created };
}
