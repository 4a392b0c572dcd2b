import { z } from 'zod';
import { dayField } from '../core/parse-day.js';
import { lineField } from '../db/text-field.js';
import { createInvitationRequestSchema } from '../invitations/create-invitation-request.js';

const recipientShape = createInvitationRequestSchema.shape.recipient.unwrap().shape;

/** One completed dossier of a sampling frame, as uploaded (JSON field names; CSV headers map to them). */
export const frameRowSchema = z
  .object({
    unitCode: z.string().trim().min(1).max(64),
    procedureCode: lineField(128).optional(),
    dossierCode: lineField(128),
    completedOn: dayField,
    channel: z.enum(['telegram', 'zalo']).optional(),
    phone: recipientShape.phone,
    telegramChatId: recipientShape.telegramChatId,
    zaloUserId: recipientShape.zaloUserId,
  })
  .strict();
export type FrameRowInput = z.infer<typeof frameRowSchema>;

/** CSV headers as one-stop-shop exports write them (compared without diacritics or case). */
export const FRAME_CSV_HEADERS = {
  unitCode: ['Mã đơn vị', 'Đơn vị', 'unit'],
  procedureCode: ['Mã thủ tục', 'Mã TTHC'],
  dossierCode: ['Mã hồ sơ', 'Số hồ sơ'],
  completedOn: ['Ngày hoàn thành', 'Ngày trả kết quả', 'Ngày có kết quả', 'Ngày kết thúc'],
  channel: ['Kênh'],
  phone: ['Số điện thoại', 'Điện thoại', 'SĐT'],
  telegramChatId: ['Telegram chat id', 'Mã Telegram', 'Telegram'],
  zaloUserId: ['Zalo user id', 'Mã Zalo', 'Zalo'],
} as const;

/** Query options of a frame upload. */
export const frameOptionsSchema = z
  .object({
    /** Makes the draw reproducible; recorded on the round (default: a random one). */
    seed: z.string().trim().min(1).max(64).regex(/^[\w.-]+$/, 'a seed is letters, digits, "_", "." or "-"').optional(),
    /** The unit's quota, or n = N / (1 + N·e²) of its eligible rows (Yamane, as MoHA's pilot method sizes samples). */
    size: z.enum(['quota', 'yamane']).default('quota'),
    margin: z.coerce.number().gt(0).lt(0.5).default(0.05),
    waves: z.coerce.number().int().min(1).max(20).default(1),
    waveHours: z.coerce.number().gt(0).max(24 * 30).default(24),
  })
  .strict();
export type FrameOptions = z.infer<typeof frameOptionsSchema>;
