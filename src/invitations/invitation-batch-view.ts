import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../core/app-error.js';
import type { Db } from '../db/prisma-client.js';
import type { BatchRowResult } from './invitation-batch-rows.js';

/** `?results=`: every row's outcome (default), only the failed rows', or none (progress polling: a 5,000-row list is half a megabyte). */
export const batchViewQuerySchema = z.object({ results: z.enum(['all', 'errors', 'none']).default('all') });
export type BatchViewQuery = z.infer<typeof batchViewQuerySchema>;

/**
 * `GET /invitations/batches/:id`: progress and per-row outcomes (row, status, invitation id
 * and short code, or the error). An officer sees only the batches of their own key (another
 * key's batch is "not found"); an admin sees all.
 */
export async function invitationBatchView(db: Db, principal: Principal, id: string, query: BatchViewQuery = { results: 'all' }) {
  const batch = await db.invitationBatch.findUnique({ where: { id }, omit: { pending: true, ...(query.results === 'none' ? { results: true } : {}) } });
  if (!batch || (principal.role !== 'admin' && batch.createdByKeyId !== principal.keyId)) throw AppError.notFound('no such invitation batch');
  return {
    id: batch.id,
    status: batch.status,
    total: batch.total,
    processed: batch.processed,
    created: batch.created,
    existing: batch.existing,
    errors: batch.errors,
    createdAt: batch.createdAt.toISOString(),
    finishedAt: batch.finishedAt?.toISOString() ?? null,
    // Written by the worker alone (invitation-batch-rows.ts): read back without parsing each row again.
    ...('results' in batch ? { results: ((batch.results ?? []) as BatchRowResult[]).filter((r) => query.results === 'all' || r.status === 'error').sort((a, b) => a.row - b.row) } : {}),
  };
}
