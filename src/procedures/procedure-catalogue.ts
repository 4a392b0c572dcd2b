import type { Db } from '../db/prisma-client.js';
import type { ProcedureInput } from './procedure-schema.js';

/** A procedure of the catalogue (table `procedures`). */
export type Procedure = { code: string; name: string; field: string };

/** Rows per statement, so that a whole national catalogue is a few short statements. */
const BATCH = 2_000;

/** Inserts or updates the given procedures in one transaction (others are left as they are); returns how many were new. */
export async function upsertProcedures(db: Db, procedures: ProcedureInput[]): Promise<{ created: number; updated: number }> {
  let created = 0;
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < procedures.length; i += BATCH) {
        const batch = procedures.slice(i, i + BATCH);
        const rows = await tx.$queryRaw<{ inserted: boolean }[]>`
          INSERT INTO procedures (code, name, field, updated_at)
          SELECT t.code, t.name, t.field, now() AT TIME ZONE 'UTC'
          FROM unnest(${batch.map((p) => p.code)}::text[], ${batch.map((p) => p.name)}::text[], ${batch.map((p) => p.field)}::text[]) AS t(code, name, field)
          ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, field = EXCLUDED.field, updated_at = now() AT TIME ZONE 'UTC'
          RETURNING (xmax = 0) AS inserted`;
        created += rows.filter((r) => r.inserted).length;
      }
    },
    { timeout: 30_000 },
  );
  return { created, updated: procedures.length - created };
}

/** The whole catalogue, by field then code. */
export async function listProcedures(db: Db): Promise<Procedure[]> {
  return db.procedure.findMany({ select: { code: true, name: true, field: true }, orderBy: [{ field: 'asc' }, { code: 'asc' }] });
}

/** The catalogue entries of `codes` (codes not in the catalogue are simply absent), by code. */
export async function proceduresByCode(db: Db, codes: readonly string[]): Promise<Map<string, Procedure>> {
  const rows = await db.procedure.findMany({ where: { code: { in: [...codes] } }, select: { code: true, name: true, field: true } });
  return new Map(rows.map((p) => [p.code, p]));
}
