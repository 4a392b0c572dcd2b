import { z } from 'zod';
import { AppError } from '../core/app-error.js';
import type { Db } from '../db/prisma-client.js';
import { unitInputSchema } from './unit-schema.js';

/** The body of `PATCH /api/v1/units/:code`: what may change about one unit (its code never does). */
export const unitPatchSchema = z
  .object({
    active: z.boolean().optional(),
    name: unitInputSchema.shape.name.optional(),
    group: unitInputSchema.shape.group.optional(),
  })
  .strict()
  .refine((p) => p.active !== undefined || p.name !== undefined || p.group !== undefined, { message: 'nothing to change: give active, name or group' });
export type UnitPatch = z.infer<typeof unitPatchSchema>;

export type UpdatedUnit = { code: string; name: string; group: string; parentCode: string | null; active: boolean };

/**
 * Renames, regroups, deactivates or reactivates one unit. An inactive unit keeps its
 * invitations and responses, but gets no new invitation or open-survey start, and is left
 * out of a period's report in which it has no response.
 */
export async function updateUnit(db: Db, code: string, patch: UnitPatch): Promise<{ unit: UpdatedUnit; changed: (keyof UnitPatch)[] }> {
  const before = await db.unit.findUnique({ where: { code } });
  if (!before) throw AppError.notFound(`no unit with code "${code}"`, 'unknown_unit');
  const changed = (Object.keys(patch) as (keyof UnitPatch)[]).filter((k) => patch[k] !== undefined && patch[k] !== before[k]);
  const unit = changed.length ? await db.unit.update({ where: { code }, data: patch }) : before;
  return { unit: { code: unit.code, name: unit.name, group: unit.group, parentCode: unit.parentCode, active: unit.active }, changed };
}
