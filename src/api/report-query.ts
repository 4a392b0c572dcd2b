import { z } from 'zod';
import { lineField } from '../db/text-field.js';
import { DEFAULT_QUESTIONNAIRE_CODE } from '../questionnaire/questionnaire-catalog.js';
import { questionnaireRefSchema } from '../questionnaire/questionnaire-ref.js';

// Date.parse accepts 2026-02-30 (as 2 March); a real day survives the round trip.
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(s)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, 'not a calendar date');

/** Query of the report and microdata downloads. */
export const reportQuerySchema = z
  .object({
    questionnaire: questionnaireRefSchema.default(DEFAULT_QUESTIONNAIRE_CODE),
    from: day.optional(),
    to: day.optional(),
    group: lineField(64).optional(),
    format: z.enum(['json', 'csv', 'xlsx']).default('json'),
    /** Group and overall totals: the mean of the unit indices ("trung bình", as provinces publish) or all answers pooled. */
    total: z.enum(['mean', 'pooled']).default('mean'),
    /** Ranks on the indices as shown (2 decimals) or in full precision. */
    rank: z.enum(['shown', 'full']).default('shown'),
    /** Microdata only: include free-text answers (they may contain personal details). */
    text: z.enum(['0', '1']).default('0'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function downloadName(kind: string, q: ReportQuery): string {
  return [kind, q.questionnaire.replace('@', '-v'), q.from ?? 'all', q.to ?? 'now', q.group ?? ''].filter(Boolean).join('_') + `.${q.format}`;
}
