import { z } from 'zod';

/** Callback data: ASCII only, so its byte length equals its length (Telegram allows 64 bytes). */
export const callbackDataSchema = z.string().regex(/^[A-Za-z0-9_:.-]{1,64}$/);

export const messageOptionSchema = z.object({
  /** Button payload (Telegram callback_data, Zalo oa.query payload). Decode with decodeCallbackData. */
  data: callbackDataSchema,
  /** Human label, Vietnamese. */
  label: z.string().min(1),
  /** What the citizen can type instead ("1"…"5", "0"); absent for controls such as "Quay lại". */
  number: z.string().optional(),
  /** answer = picks/toggles an option; control = back, skip, done. */
  role: z.enum(['answer', 'control']),
  /** Multi-choice toggles currently selected. */
  selected: z.boolean().optional(),
});
export type MessageOption = z.infer<typeof messageOptionSchema>;

export const progressSchema = z.object({ current: z.number().int().positive(), total: z.number().int().positive() });
export type Progress = z.infer<typeof progressSchema>;

export const outboundMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    /** Vietnamese, NFC. For questions it starts with the progress line "Câu 5/22". */
    text: z.string().min(1),
    options: z.array(messageOptionSchema).optional(),
    /** How to answer by typing (numbered-text channels show it; button channels may omit it). */
    hint: z.string().optional(),
    progress: progressSchema.optional(),
    /** The question (or step: @consent, @unit, @procedure) this message asks. */
    questionCode: z.string().optional(),
    /** Channels that can edit should update this earlier message instead of sending a new one (multi-choice toggles). */
    editMessageId: z.string().optional(),
  }),
  /**
   * The keyboard of the message that asked `questionCode` is spent: replace it by the chosen
   * answer (or just remove it when chosenLabel is null). messageId when the event carried it.
   */
  z.object({
    type: z.literal('close_keyboard'),
    questionCode: z.string(),
    messageId: z.string().optional(),
    chosenLabel: z.string().nullable(),
  }),
]);
export type OutboundMessage = z.infer<typeof outboundMessageSchema>;
export type TextMessage = Extract<OutboundMessage, { type: 'text' }>;
