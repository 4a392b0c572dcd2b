import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { invitationBatchJob } from '../queues/job-catalog.js';
import type { BatchPending, BatchRowResult } from './invitation-batch-rows.js';
import type { BulkRow } from './parse-bulk-invitations.js';

export type StartedBatch = { batchId: string; total: number; accepted: number; rejected: { row: number; error: string }[] };

/**
 * Stores a validated upload as a batch (rows refused by validation are already its
 * results) and queues the job that creates the rest in the background.
 */
export async function startInvitationBatch(deps: Pick<AppContext, 'db' | 'queues' | 'now'>, principal: Principal, rows: BulkRow[]): Promise<StartedBatch> {
  const rejected = rows.filter((r) => !r.request).map((r) => ({ row: r.row, error: r.error ?? 'invalid row' }));
  const pending: BatchPending = {
    principal: { keyId: principal.keyId, role: principal.role, unitCodes: principal.unitCodes },
    rows: rows.flatMap((r) => (r.request ? [{ row: r.row, request: r.request }] : [])),
  };
  const results: BatchRowResult[] = rejected.map((r) => ({ row: r.row, status: 'error', error: r.error }));
  const batchId = randomUUID();
  const done = pending.rows.length === 0;
  await deps.db.invitationBatch.create({
    data: {
      id: batchId,
      createdByKeyId: principal.keyId,
      status: done ? 'done' : 'queued',
      total: rows.length,
      processed: rejected.length,
      errors: rejected.length,
      pending: done ? undefined : pending,
      results,
      createdAt: deps.now(),
      finishedAt: done ? deps.now() : null,
    },
  });
  if (!done) await deps.queues.add(invitationBatchJob, { batchId });
  return { batchId, total: rows.length, accepted: pending.rows.length, rejected };
}
