import type { Db } from '../db/prisma-client.js';

export type AuditEntry = { id: string; at: Date; actor: string; action: string; details: Record<string, unknown> };

export type AuditFilter = {
  /** Exact actor strings (a console user is `user:<id>`, an API key its id). */
  actors?: string[];
  action?: string;
  /** Entries at or after this instant. */
  from?: Date;
  /** Entries strictly before this instant. */
  until?: Date;
  /** The cursor: entries older than this id (ids only grow). */
  before?: string;
  limit?: number;
};

/**
 * The audit log, newest first, one page at a time: `older` is the cursor of the next
 * page (absent on the last). The one place that reads the table `writeAudit` fills.
 */
export async function readAudit(db: Db, f: AuditFilter = {}): Promise<{ entries: AuditEntry[]; older?: string }> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 500);
  const rows = await db.auditLog.findMany({
    where: {
      ...(f.actors ? { actor: { in: f.actors } } : {}),
      ...(f.action ? { action: f.action } : {}),
      ...(f.from || f.until ? { at: { ...(f.from ? { gte: f.from } : {}), ...(f.until ? { lt: f.until } : {}) } } : {}),
      ...(f.before ? { id: { lt: BigInt(f.before) } } : {}),
    },
    orderBy: { id: 'desc' },
    take: limit + 1,
  });
  const entries = rows.slice(0, limit).map((r) => ({ id: r.id.toString(), at: r.at, actor: r.actor, action: r.action, details: isRecord(r.details) ? r.details : {} }));
  return rows.length > limit ? { entries, older: entries[entries.length - 1]!.id } : { entries };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
