import { z } from 'zod';
import { createInvitationRequestSchema } from './create-invitation-request.js';

/** What a batch keeps to do (`invitation_batches.pending`): who uploaded it and its valid rows. Personal data: cleared when done. */
export const batchPendingSchema = z.object({
  /** The uploader as authorised at upload time: the worker creates the rows with this scope. */
  principal: z.object({ keyId: z.string(), role: z.enum(['admin', 'officer', 'viewer']), unitCodes: z.array(z.string()) }),
  rows: z.array(z.object({ row: z.number().int().positive(), request: createInvitationRequestSchema })),
});
export type BatchPending = z.infer<typeof batchPendingSchema>;

/** The same as the worker reads it: each row's request is checked again only when its chunk comes (5,000 at once would hold up the event loop). */
export const storedBatchPendingSchema = batchPendingSchema.extend({
  rows: z.array(z.object({ row: z.number().int().positive(), request: z.looseObject({ unitCode: z.unknown(), dossierCode: z.unknown().optional() }) })),
});

/** One row's outcome (`invitation_batches.results`): never a token, phone or chat id. */
export const batchRowResultSchema = z.object({
  row: z.number().int().positive(),
  status: z.enum(['created', 'existing', 'error']),
  invitationId: z.uuid().optional(),
  code: z.string().optional(),
  error: z.string().optional(),
});
export type BatchRowResult = z.infer<typeof batchRowResultSchema>;

export const batchResultsSchema = z.array(batchRowResultSchema);
