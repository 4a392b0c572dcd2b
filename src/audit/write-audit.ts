import type { Db } from '../db/prisma-client.js';

/** Records who did what (key id, never the key); details must hold no personal data. */
export async function writeAudit(db: Db, principal: { keyId: string } | string, action: string, details?: Record<string, unknown>): Promise<void> {
  const actor = typeof principal === 'string' ? principal : principal.keyId;
  await db.auditLog.create({ data: { actor, action, details: (details ?? {}) as object } });
}
