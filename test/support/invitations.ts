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
