import type { Db } from '../db/prisma-client.js';
import { hashApiKey, parseApiKeyPrefix, safeEqual } from './api-key-format.js';
import { BOOTSTRAP_KEY_ID, type Principal } from './principal.js';

/**
 * Resolves a bearer key to a principal: the bootstrap `ADMIN_API_KEY`, or a stored,
 * unrevoked key. Returns undefined for anything else (the caller answers 401).
 */
export async function authenticate(db: Db, adminApiKey: string | undefined, authorization: string | undefined): Promise<Principal | undefined> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  const key = match?.[1];
  if (!key) return undefined;
  if (adminApiKey && safeEqual(key, adminApiKey)) return { keyId: BOOTSTRAP_KEY_ID, role: 'admin', unitCodes: [] };
  const prefix = parseApiKeyPrefix(key);
  if (!prefix) return undefined;
  const row = await db.apiKey.findUnique({ where: { prefix } });
  if (!row || row.revokedAt || !safeEqual(hashApiKey(key), row.hash)) return undefined;
  // Best effort: a failed timestamp update must not fail the request.
  void db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => undefined);
  return { keyId: row.id, role: row.role, unitCodes: row.unitCodes };
}
