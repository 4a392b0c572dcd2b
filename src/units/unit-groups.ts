import type { Db } from '../db/prisma-client.js';

/** Whether any unit (active or not) belongs to `group`. */
export async function unitGroupExists(db: Db, group: string): Promise<boolean> {
  return (await db.unit.count({ where: { group }, take: 1 })) > 0;
}
