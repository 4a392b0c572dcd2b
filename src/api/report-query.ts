import { z } from 'zod';
import { parseQuestionnaireRef, questionnaireRefSchema, type QuestionnaireRef } from '../questionnaire/questionnaire-ref.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(s)), 'not a calendar date');

/** Query of the report and microdata downloads. */
export const reportQuerySchema = z
  .object({
    questionnaire: questionnaireRefSchema.default('sipas-2017'),
    from: day.optional(),
    to: day.optional(),
    group: z.string().trim().min(1).max(64).optional(),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
    /** Microdata only: include free-text answers (they may contain personal details). */
    text: z.enum(['0', '1']).default('0'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export function questionnaireRef(q: ReportQuery): QuestionnaireRef {
  return parseQuestionnaireRef(q.questionnaire);
}

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function downloadName(kind: string, q: ReportQuery): string {
  return [kind, q.questionnaire.replace('@', '-v'), q.from ?? 'all', q.to ?? 'now', q.group ?? ''].filter(Boolean).join('_') + `.${q.format}`;
}
