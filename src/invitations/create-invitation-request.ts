import { z } from 'zod';
import { questionnaireRefSchema } from '../questionnaire/questionnaire-ref.js';

/** Body of `POST /api/v1/invitations` (design brief section 4). */
export const createInvitationRequestSchema = z
  .object({
    unitCode: z.string().trim().min(1).max(64),
    channel: z.enum(['telegram', 'zalo']),
    questionnaire: questionnaireRefSchema.optional(),
    procedureCode: z.string().trim().min(1).max(128).optional(),
    dossierCode: z.string().trim().min(1).max(128).optional(),
    recipient: z
      .object({
        phone: z.string().trim().min(6).max(32).optional(),
        telegramChatId: z.union([z.string().regex(/^-?\d{1,20}$/), z.number().int()]).transform(String).optional(),
        zaloUserId: z.string().regex(/^\d{1,32}$/, 'Zalo user ids are numeric strings').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CreateInvitationRequest = z.infer<typeof createInvitationRequestSchema>;
