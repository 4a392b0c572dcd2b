import { effectSchema, outboundMessageSchema, sessionSchema } from '../engine/index.js';
import { z } from 'zod';

/**
 * What the store keeps per (channel, user): the engine's session plus the delivery
 * bookkeeping around it — event ids already applied (exact dedupe inside the same
 * compare-and-set) and an outbox of effects and replies written atomically with the
 * session, flushed to the queues afterwards (a crash in between loses nothing).
 */
export const outboxSchema = z.object({
  id: z.string().min(1),
  effects: z.array(effectSchema),
  messages: z.array(outboundMessageSchema),
  /** Replies answer the citizen; reminders are sent on our initiative (delivery-logged, skipped for opted-out users). */
  kind: z.enum(['reply', 'reminder']).optional(),
});
export type Outbox = z.infer<typeof outboxSchema>;

export const sessionEnvelopeSchema = z.object({
  v: z.number().int().nonnegative(),
  /** The random token of the write that stored this version (absent: never written, or written before tokens). */
  token: z.string().optional(),
  session: sessionSchema.nullable(),
  seen: z.array(z.string()).max(64),
  outbox: outboxSchema.nullable(),
});
export type SessionEnvelope = z.infer<typeof sessionEnvelopeSchema>;

/** The stored `doc` field: the session and the seen ids (the outbox has a field of its own; older documents kept it inside). */
export const storedSessionSchema = sessionEnvelopeSchema.omit({ v: true, token: true, outbox: true }).extend({ outbox: outboxSchema.nullable().optional() });

export const EMPTY_ENVELOPE: SessionEnvelope = { v: 0, session: null, seen: [], outbox: null };
export const SEEN_EVENTS_KEPT = 48;
