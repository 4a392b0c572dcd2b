import { writeAudit } from '../audit/write-audit.js';
import type { Db } from '../db/prisma-client.js';
import type { UnitInput } from './unit-schema.js';
import { updateUnit, type UnitPatch, type UpdatedUnit } from './update-unit.js';
import { upsertUnits } from './upsert-units.js';

type Actor = { keyId: string } | string;

/** A validated units upload saved and audited (`units.upsert`), as `PUT /api/v1/units` and the console's upload do it. */
export async function saveUnits(db: Db, actor: Actor, units: UnitInput[]): Promise<{ created: number; updated: number; total: number }> {
  const result = await upsertUnits(db, units);
  await writeAudit(db, actor, 'units.upsert', { ...result });
  return { ...result, total: units.length };
}

/** One unit changed and, when anything changed, audited (`units.update`), as `PATCH /api/v1/units/:code` and the console's edit form do it. */
export async function saveUnitPatch(db: Db, actor: Actor, code: string, patch: UnitPatch): Promise<{ unit: UpdatedUnit; changed: (keyof UnitPatch)[] }> {
  const { unit, changed } = await updateUnit(db, code, patch);
  if (changed.length) await writeAudit(db, actor, 'units.update', { code, changed, ...Object.fromEntries(changed.map((k) => [k, patch[k]])) });
  return { unit, changed };
}
