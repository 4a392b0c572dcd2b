import { z } from 'zod';
import { outboxSchema } from './session-envelope.js';

/**
 * The outbox stream: every outbox a conversation writes is appended here by the same
 * script that writes its session (session-store.ts), and the workers' relay
 * (outbox-relay.ts) turns the entries into jobs, then deletes them. The entry names the
 * chat (the queues need it to reply); like a job's payload it lives only until handled.
 */
export const outboxStreamKey = (prefix: string) => `${prefix}:outbox`;
export const OUTBOX_GROUP = 'relay';

export const outboxEntrySchema = z.object({
  channel: z.enum(['telegram', 'zalo', 'simulator']),
  userRef: z.string().min(1),
  outbox: outboxSchema,
  /** The reply job's number in its chat's lane, given in the commit (absent: numbered when enqueued). */
  seq: z.number().int().positive().optional(),
});
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

/** Stream fields: `o` the JSON of channel, chat and outbox; `s` the lane number when one was given. */
export function readOutboxEntry(fields: string[]): OutboxEntry | undefined {
  const get = (name: string) => {
    for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
    return undefined;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(get('o') ?? '');
  } catch {
    return undefined;
  }
  const s = get('s');
  const parsed = outboxEntrySchema.safeParse(s ? { ...(raw as object), seq: Number(s) } : raw);
  return parsed.success ? parsed.data : undefined;
}
