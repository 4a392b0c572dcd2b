import { z } from 'zod';
import { lineField } from '../db/text-field.js';
import { questionnaireRefSchema } from '../questionnaire/questionnaire-ref.js';

/** Body of `POST /api/v1/invitations` (design brief section 4). */
export const createInvitationRequestSchema = z
  .object({
    unitCode: z.string().trim().min(1).max(64),
    /** `simulator`: a trial invitation answered with `npm run simulate -- --invitation <code>` (always test data). */
    channel: z.enum(['telegram', 'zalo', 'simulator']),
    /** Test data: its response is left out of reports, progress and exports unless asked for. */
    test: z.boolean().optional(),
    questionnaire: questionnaireRefSchema.optional(),
    procedureCode: lineField(128).optional(),
    dossierCode: lineField(128).optional(),
    recipient: z
      .object({
        phone: lineField(32).pipe(z.string().min(6)).optional(),
        // Telegram ids have at most 52 significant bits (16 digits); a longer one can never be a chat.
        telegramChatId: z.union([z.string().regex(/^-?\d{1,16}$/, 'not a Telegram chat id'), z.number().int()]).transform(String).optional(),
        zaloUserId: z.string().regex(/^\d{1,32}$/, 'Zalo user ids are numeric strings').optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type CreateInvitationRequest = z.infer<typeof createInvitationRequestSchema>;
