import { z } from 'zod';

/** Shared building blocks of the engine's schemas (sessions, events, effects). */

export const channelSchema = z.enum(['telegram', 'zalo', 'simulator']);
export type Channel = z.infer<typeof channelSchema>;

export const questionnaireRefSchema = z.object({
  code: z.string().min(1).max(32),
  version: z.number().int().positive(),
});
export type QuestionnaireRef = z.infer<typeof questionnaireRefSchema>;

export const isoDateSchema = z.iso.datetime({ offset: true });

export const answerStatusSchema = z.enum(['answered', 'not_applicable', 'unanswered']);
export type AnswerStatus = z.infer<typeof answerStatusSchema>;

/**
 * JSON value of an answer: likert → score (number), single → option value,
 * multi → option values, yesno → boolean, text → string; null when not answered / N/A.
 */
export const answerValueSchema = z.union([z.number(), z.string(), z.boolean(), z.array(z.string()), z.null()]);
export type AnswerValue = z.infer<typeof answerValueSchema>;

/** What parsing produced, before it gets a seq and a time. */
export const answerInputSchema = z.object({
  status: answerStatusSchema,
  value: answerValueSchema,
  score: z.number().int().min(1).max(5).optional(),
});
export type AnswerInput = z.infer<typeof answerInputSchema>;

export const unitRefSchema = z.object({ code: z.string().min(1).max(64), name: z.string().min(1).max(300) });
export type UnitRef = z.infer<typeof unitRefSchema>;
