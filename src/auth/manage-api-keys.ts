import type { Db } from '../db/prisma-client.js';
import { writeAudit } from '../audit/write-audit.js';
import { generateApiKey } from './api-key-format.js';
import type { Role } from './principal.js';

/** `code` says which rule failed, for callers that word the message themselves (the console, in Vietnamese). */
export type ApiKeyErrorCode = 'officer_needs_unit' | 'units_only_for_officers' | 'unknown_unit' | 'no_active_key' | 'usage';

export class ApiKeyError extends Error {
  override name = 'ApiKeyError';
  constructor(
    message: string,
    readonly code: ApiKeyErrorCode = 'usage',
    /** The unit codes an `unknown_unit` error is about. */
    readonly units: string[] = [],
  ) {
    super(message);
  }
}

/**
 * Creates a key and returns it once: only its hash is stored. Officer keys must name
 * the units they may invite for.
 */
export async function createApiKey(db: Db, input: { name: string; role: Role; unitCodes: string[] }, actor = 'cli'): Promise<{ id: string; key: string }> {
  if (input.role === 'officer' && input.unitCodes.length === 0) throw new ApiKeyError('an officer key needs at least one --unit', 'officer_needs_unit');
  if (input.role !== 'officer' && input.unitCodes.length > 0) throw new ApiKeyError(`--unit only applies to officer keys`, 'units_only_for_officers');
  const known = await db.unit.findMany({ where: { code: { in: input.unitCodes } }, select: { code: true } });
  const missing = input.unitCodes.filter((c) => !known.some((k) => k.code === c));
  if (missing.length) throw new ApiKeyError(`unknown unit(s): ${missing.join(', ')} (upload units first)`, 'unknown_unit', missing);
  const { key, prefix, hash } = generateApiKey();
  const row = await db.apiKey.create({ data: { name: input.name, prefix, hash, role: input.role, unitCodes: input.unitCodes } });
  await writeAudit(db, actor, 'apikey.create', { keyId: row.id, role: input.role, unitCodes: input.unitCodes });
  return { id: row.id, key };
}

export async function revokeApiKey(db: Db, id: string, actor = 'cli'): Promise<void> {
  const res = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (res.count === 0) throw new ApiKeyError(`no active key with id ${id}`, 'no_active_key');
  await writeAudit(db, actor, 'apikey.revoke', { keyId: id });
}

export async function listApiKeys(db: Db) {
  return db.apiKey.findMany({ orderBy: { createdAt: 'asc' }, select: { id: true, name: true, prefix: true, role: true, unitCodes: true, createdAt: true, revokedAt: true, lastUsedAt: true } });
}
