import { sleep } from '../../test/support/spawn-script.js';
import type { InvitationBatch, StartedBatch } from '../../test/support/invitations.js';
import { adminHeaders, api } from './product.js';

/** What `GET /api/v1/invitations/batches/:id` and `POST /api/v1/invitations/bulk` answer (the tests' types). */
export type BulkBatch = InvitationBatch;
export type StartedBulk = StartedBatch;

/** Uploads rows through `POST /api/v1/invitations/bulk` (a JSON list, or CSV text when `csv`): the batch is created in the background. */
export async function startBulk(url: string, rows: unknown[] | string): Promise<StartedBulk> {
  if (typeof rows !== 'string') return (await api<StartedBulk>(`${url}/api/v1/invitations/bulk`, 'POST', { invitations: rows })).json;
  const res = await fetch(`${url}/api/v1/invitations/bulk`, { method: 'POST', headers: { ...adminHeaders, 'content-type': 'text/csv' }, body: rows });
  if (res.status !== 202) throw new Error(`bulk upload → ${res.status}: ${(await res.text()).slice(0, 500)}`);
  return (await res.json()) as StartedBulk;
}

/**
 * Polls the batch's progress (without its rows, as a progress bar would) until the worker
 * is done (or `timeoutMs` passes), then reads it whole; `onProgress` sees each answer.
 */
export async function waitBulkDone(url: string, batchId: string, opts: { timeoutMs?: number; everyMs?: number; onProgress?: (b: Omit<BulkBatch, 'results'>) => void } = {}): Promise<BulkBatch> {
  const until = Date.now() + (opts.timeoutMs ?? 10 * 60_000);
  const batchUrl = `${url}/api/v1/invitations/batches/${batchId}`;
  for (;;) {
    const batch = (await api<Omit<BulkBatch, 'results'>>(`${batchUrl}?results=none`, 'GET')).json;
    opts.onProgress?.(batch);
    if (batch.status === 'done') return (await api<BulkBatch>(batchUrl, 'GET')).json;
    if (Date.now() > until) throw new Error(`bulk batch ${batchId} not done in time: ${batch.processed}/${batch.total}`);
    await sleep(opts.everyMs ?? 250);
  }
}

/** A bulk upload to its end: the batch as the worker left it. */
export async function bulkInvitations(url: string, rows: unknown[] | string): Promise<BulkBatch> {
  return waitBulkDone(url, (await startBulk(url, rows)).batchId);
}
