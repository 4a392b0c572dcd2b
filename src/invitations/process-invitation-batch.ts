import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { mapLimit } from '../core/map-limit.js';
import { Prisma } from '../db/generated/client.js';
import { createAndQueue } from './create-and-queue.js';
import { dailyInvitationAllowance } from './daily-invitation-limit.js';
import { createInvitationRequestSchema } from './create-invitation-request.js';
import { batchResultsSchema, storedBatchPendingSchema, type BatchRowResult } from './invitation-batch-rows.js';

type StoredRequest = { unitCode: unknown; dossierCode?: unknown };

/**
 * Rows per chunk (one progress write, one daily-limit count), rows created at once, and a
 * rest after each chunk as a share of the time it took: gentle enough that citizens'
 * webhook replies, served by the same processes, event loop and database, keep their pace
 * while a 5,000-row upload runs (see bench/bulk: about 150 rows/s on two cores).
 */
export const BATCH_TUNING = { chunkSize: 100, concurrency: 2, restRatio: 1 };

/**
 * Creates a batch's invitations chunk by chunk. Each chunk's outcomes and counts are
 * written in one statement, so progress is what is recorded: a retried job (worker died)
 * skips the rows with a result and redoes the rest. Redoing creates nothing twice: a row
 * with a dossier code finds its invitation by the dossier, a row without one by its batch
 * and row number (`rowKey`). Row errors are domain errors (AppError: unknown unit, quota
 * full, daily limit); anything else fails the job, to be retried.
 */
export async function processInvitationBatch(deps: Pick<AppContext, 'db' | 'config' | 'catalog' | 'now' | 'queues'>, batchId: string, tuned: Partial<typeof BATCH_TUNING> = {}): Promise<void> {
  const { db } = deps;
  const tuning = { ...BATCH_TUNING, ...tuned };
  const batch = await db.invitationBatch.findUnique({ where: { id: batchId } });
  if (!batch || batch.status === 'done' || batch.pending === null) return;
  const { principal, rows } = storedBatchPendingSchema.parse(batch.pending);
  const recorded = new Set(batchResultsSchema.parse(batch.results).map((r) => r.row));
  if (batch.status === 'queued') await db.invitationBatch.update({ where: { id: batchId }, data: { status: 'running' } });

  const todo = rows.filter((r) => !recorded.has(r.row));
  // After a restart, the first chunk may hold rows the dead worker created: a dossier row of
  // it found again is this batch's own creation if it is that dossier's first row here.
  const dossierOf = (req: StoredRequest) => `${String(req.unitCode)}\n${String(req.dossierCode)}`;
  const firstRowOf = new Map<string, number>();
  for (const r of rows) if (r.request.dossierCode && !firstRowOf.has(dossierOf(r.request))) firstRowOf.set(dossierOf(r.request), r.row);
  const redone = new Set(batch.status === 'running' ? todo.slice(0, tuning.chunkSize).map((r) => r.row) : []);
  const ownEarlier = (row: number, req: StoredRequest, createdAt: Date) => redone.has(row) && firstRowOf.get(dossierOf(req)) === row && createdAt >= batch.createdAt;
  for (let i = 0; i < todo.length; i += tuning.chunkSize) {
    const chunk = todo.slice(i, i + tuning.chunkSize);
    const startedAt = performance.now();
    // One count of the key's invitations today per chunk; rows past the limit become row errors.
    const allowance = dailyInvitationAllowance(deps, principal);
    const results = await mapLimit(chunk, tuning.concurrency, async ({ row, request: stored }): Promise<BatchRowResult> => {
      // Checked at upload; again here in case the rows were stored by another version.
      const checked = createInvitationRequestSchema.safeParse(stored);
      if (!checked.success) return { row, status: 'error', error: checked.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') };
      const request = checked.data;
      try {
        const { invitation, created } = await createAndQueue(deps, principal, request, { allowance, rowKey: `${batchId}:${row}` });
        // A row without dossier code found again can only be this batch's own, created before a restart.
        const own = created || !request.dossierCode || ownEarlier(row, request, invitation.createdAt);
        return { row, status: own ? 'created' : 'existing', invitationId: invitation.id, code: invitation.code };
      } catch (err) {
        if (err instanceof AppError) return { row, status: 'error', error: err.message };
        throw err;
      }
    });
    const count = (s: BatchRowResult['status']) => results.filter((r) => r.status === s).length;
    await db.$executeRaw`
      UPDATE invitation_batches
         SET processed = processed + ${results.length}, created = created + ${count('created')},
             existing = existing + ${count('existing')}, errors = errors + ${count('error')},
             results = results || ${JSON.stringify(results)}::jsonb
       WHERE id = ${batchId}::uuid`;
    // Background work: leave the CPU, the event loop and the database to requests for a while.
    await sleep((performance.now() - startedAt) * tuning.restRatio);
  }
  // The rows' personal data goes with the work that needed it.
  await db.invitationBatch.update({ where: { id: batchId }, data: { status: 'done', pending: Prisma.DbNull, finishedAt: deps.now() } });
}

/**
 * A batch whose job failed for good (its last attempt): marked `failed`, and the rows not
 * yet processed forget their personal data; the results so far stay readable.
 */
export async function failInvitationBatch(db: Pick<AppContext, 'db'>['db'], batchId: string, at: Date): Promise<void> {
  await db.invitationBatch.updateMany({ where: { id: batchId, status: { not: 'done' } }, data: { status: 'failed', pending: Prisma.DbNull, finishedAt: at } });
}
