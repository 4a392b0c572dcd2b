import { z } from 'zod';

/**
 * Inbound Zalo OA webhook events. Ids are long numeric strings and stay strings: a
 * JSON number in an id field is refused (it may already have lost digits).
 */
const zaloId = z
  .string({ error: (iss) => (iss.input === undefined ? 'required' : `expected an id as a JSON string, got ${typeof iss.input}`) })
  .regex(/^[^\s]{1,64}$/, 'expected a non-empty id without spaces');
const unixMs = z
  .string({ error: (iss) => (iss.input === undefined ? 'required' : `expected Unix ms as a JSON string, got ${typeof iss.input}`) })
  .regex(/^\d{10,16}$/, 'expected Unix ms as a string of digits');
const party = z.object({ id: zaloId });

const base = { app_id: zaloId, timestamp: unixMs, user_id_by_app: zaloId.optional() };
const userToOa = { ...base, sender: party, recipient: party };

export const zaloUserSendTextSchema = z.object({
  ...userToOa,
  event_name: z.literal('user_send_text'),
  message: z.object({ msg_id: zaloId, text: z.string() }),
});

export const zaloFollowSchema = z.object({
  ...base,
  event_name: z.enum(['follow', 'unfollow']),
  oa_id: zaloId.optional(),
  follower: party,
  source: z.string().optional(),
});

export const zaloUserSubmitInfoSchema = z.object({
  ...userToOa,
  event_name: z.literal('user_submit_info'),
  info: z.object({
    name: z.string().optional(),
    phone: z.string().optional(),
    address: z.string().optional(),
    city: z.string().optional(),
    district: z.string().optional(),
    ward: z.string().optional(),
  }),
});

/** `user_send_image`, `user_send_sticker`, `user_send_file`, … (anything but text). */
export const zaloUserSendMediaSchema = z.object({
  ...userToOa,
  event_name: z.string().regex(/^user_send_(?!text$)[a-z_]+$/),
  message: z
    .object({
      msg_id: zaloId.optional(),
      text: z.string().optional(),
      attachments: z.array(z.object({ type: z.string() })).optional(),
    })
    .optional(),
});

export const zaloDeliverySchema = z.object({
  ...base,
  event_name: z.enum(['user_received_message', 'user_seen_message']),
  sender: party.optional(),
  recipient: party.optional(),
  message: z.object({ msg_ids: z.array(zaloId).optional() }).optional(),
});

/** The OA's own messages echoed back (`oa_send_text`, `oa_send_image`, …). */
export const zaloOaEchoSchema = z.object({
  ...base,
  event_name: z.string().regex(/^oa_send_[a-z_]+$/),
  sender: party.optional(),
  recipient: party.optional(),
  message: z.object({ msg_id: zaloId.optional() }).optional(),
});

/** Any other event: only the envelope is checked. */
export const zaloUnknownEventSchema = z.object({ ...base, event_name: z.string().min(1) });

export type ZaloEvent =
  | ({ type: 'text' } & z.infer<typeof zaloUserSendTextSchema>)
  | ({ type: 'follow' } & z.infer<typeof zaloFollowSchema>)
  | ({ type: 'submit_info' } & z.infer<typeof zaloUserSubmitInfoSchema>)
  | ({ type: 'media' } & z.infer<typeof zaloUserSendMediaSchema>)
  | ({ type: 'delivery' } & z.infer<typeof zaloDeliverySchema>)
  | ({ type: 'echo' } & z.infer<typeof zaloOaEchoSchema>)
  | ({ type: 'unknown' } & z.infer<typeof zaloUnknownEventSchema>);

export type ParseZaloEventResult =
  | { ok: true; event: ZaloEvent }
  | { ok: false; error: string; issues: { path: string; message: string }[] };

function pick(eventName: string): [ZaloEvent['type'], z.ZodType<object>] {
  if (eventName === 'user_send_text') return ['text', zaloUserSendTextSchema];
  if (eventName === 'follow' || eventName === 'unfollow') return ['follow', zaloFollowSchema];
  if (eventName === 'user_submit_info') return ['submit_info', zaloUserSubmitInfoSchema];
  if (eventName === 'user_received_message' || eventName === 'user_seen_message') return ['delivery', zaloDeliverySchema];
  if (/^user_send_[a-z_]+$/.test(eventName)) return ['media', zaloUserSendMediaSchema];
  if (/^oa_send_[a-z_]+$/.test(eventName)) return ['echo', zaloOaEchoSchema];
  return ['unknown', zaloUnknownEventSchema];
}

/** Validates a parsed webhook body; errors name the field ("sender.id: expected an id as a JSON string, got number"). */
export function parseZaloEvent(body: unknown): ParseZaloEventResult {
  const envelope = z.object({ event_name: z.string({ error: 'expected a string event_name' }).min(1) }).safeParse(body);
  const [type, schema] = envelope.success ? pick(envelope.data.event_name) : ['unknown' as const, zaloUnknownEventSchema];
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
    return { ok: false, error: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
  }
  return { ok: true, event: { type, ...parsed.data } as ZaloEvent };
}
