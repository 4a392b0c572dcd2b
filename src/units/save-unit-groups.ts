import { writeAudit } from '../audit/write-audit.js';
import type { Db } from '../db/prisma-client.js';
import type { UnitGroupInput } from './unit-group-schema.js';
import { upsertUnitGroups } from './unit-groups.js';

/** Validated unit groups saved and audited (`unit-groups.upsert`), as `PUT /api/v1/unit-groups` and the console's form do it. */
export async function saveUnitGroups(db: Db, actor: { keyId: string } | string, groups: UnitGroupInput[]): Promise<{ created: number; updated: number; total: number }> {
  const result = await upsertUnitGroups(db, groups);
  await writeAudit(db, actor, 'unit-groups.upsert', { ...result, codes: groups.map((g) => g.code) });
  return { ...result, total: groups.length };
}
