import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { z } from 'zod';
import type { createInvitationRequestSchema } from '../../src/invitations/create-invitation-request.js';
import type { invitationView } from '../../src/invitations/invitation-view.js';
import { adminHeaders } from './start-product.js';

/** The body of `POST /api/v1/invitations`, as a caller writes it. */
export type InvitationRequest = z.input<typeof createInvitationRequestSchema>;
/** The invitation the API answers with (no phone, chat id or dossier code). */
export type CreatedInvitation = ReturnType<typeof invitationView>;

/**
 * Creates an invitation the way an officer's system does, through the HTTP API as the
 * administrator, and fails the test unless it was newly created (201). Tests that check
 * the endpoint itself (status codes, refusals) call it directly instead.
 */
export async function createInvitation(app: FastifyInstance, request: InvitationRequest): Promise<CreatedInvitation> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: request });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as CreatedInvitation;
}

/** What `GET /api/v1/invitations/batches/:id` answers. */
export type InvitationBatch = {
  id: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  created: number;
  existing: number;
  errors: number;
  results: { row: number; status: 'created' | 'existing' | 'error'; invitationId?: string; code?: string; error?: string }[];
};
/** What `POST /api/v1/invitations/bulk` answers (202). */
export type StartedBatch = { batchId: string; total: number; accepted: number; rejected: { row: number; error: string }[] };

/**
 * A bulk upload through `POST /api/v1/invitations/bulk` (JSON, or CSV when `csv`), expecting
 * 202, then the batch polled until the worker has done it. `headers` default to the administrator's.
 */
export async function bulkInvitations(app: FastifyInstance, payload: unknown, opts: { csv?: boolean; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<{ started: StartedBatch; batch: InvitationBatch }> {
  const headers = { ...(opts.headers ?? adminHeaders), ...(opts.csv ? { 'content-type': 'text/csv' } : {}) };
  const res = await app.inject({ method: 'POST', url: '/api/v1/invitations/bulk', headers, payload: payload as string });
  expect(res.statusCode, res.body).toBe(202);
  const started = res.json() as StartedBatch;
  const until = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    const got = await app.inject({ method: 'GET', url: `/api/v1/invitations/batches/${started.batchId}`, headers: opts.headers ?? adminHeaders });
    expect(got.statusCode, got.body).toBe(200);
    const batch = got.json() as InvitationBatch;
    if (batch.status === 'done') return { started, batch };
    if (Date.now() > until) throw new Error(`batch ${started.batchId} not done: ${batch.processed}/${batch.total}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
