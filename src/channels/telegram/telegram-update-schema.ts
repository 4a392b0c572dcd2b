import { z } from 'zod';

/**
 * The parts of a Telegram `Update` the survey uses. Unknown fields pass through
 * (Telegram adds fields over time); a body without a numeric update_id is malformed.
 */
const user = z.object({ id: z.number().int(), is_bot: z.boolean().optional() }).loose();
const chat = z.object({ id: z.number().int(), type: z.string() }).loose();

export const telegramMessageSchema = z
  .object({
    message_id: z.number().int(),
    from: user.optional(),
    chat,
    date: z.number().int(),
    text: z.string().max(10_000).optional(),
    contact: z.object({ phone_number: z.string().max(64), user_id: z.number().int().optional() }).loose().optional(),
  })
  .loose();

export const telegramCallbackQuerySchema = z
  .object({
    id: z.string().min(1).max(128),
    from: user,
    message: z.object({ message_id: z.number().int(), chat }).loose().optional(),
    data: z.string().max(256).optional(),
  })
  .loose();

export const telegramUpdateSchema = z
  .object({
    update_id: z.number().int().nonnegative(),
    message: telegramMessageSchema.optional(),
    callback_query: telegramCallbackQuerySchema.optional(),
  })
  .loose();
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;
