import { z } from 'zod';
import { dayField } from '../core/parse-day.js';
import { lineField } from '../db/text-field.js';
import { DEFAULT_QUESTIONNAIRE_CODE } from '../questionnaire/questionnaire-catalog.js';
import { questionnaireRefSchema } from '../questionnaire/questionnaire-ref.js';
import { parsePeriod } from '../scoring/report-period.js';
import { roundCodeSchema } from '../rounds/round-schema.js';
import { CSV_LOCALES } from '../export/csv-locale.js';


/** A whole period by name: 2026, 2026-Q4, 2026-12 (or Q4/2026, 12/2026). */
const period = z.string().transform((text, ctx) => {
  const parsed = parsePeriod(text);
  if (parsed.ok) return parsed.period;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});

/** Query of the report and microdata downloads. */
export const reportQuerySchema = z
  .object({
    questionnaire: questionnaireRefSchema.default(DEFAULT_QUESTIONNAIRE_CODE),
    period: period.optional(),
    /** A survey round's code: its window and its questionnaire. */
    round: roundCodeSchema.optional(),
    from: dayField.optional(),
    to: dayField.optional(),
    group: lineField(64).optional(),
    /** csv: the annex table (a row per unit, group and province total); csv-long: a row per unit × index node. */
    format: z.enum(['json', 'csv', 'csv-long', 'xlsx']).default('json'),
    /** CSV for a vi-VN spreadsheet (";" and decimal comma) or an en-US one ("," and point). */
    locale: z.enum(CSV_LOCALES).default('en'),
    /** Group and overall totals: the mean of the unit indices ("trung bình", as provinces publish) or all answers pooled. */
    total: z.enum(['mean', 'pooled']).default('mean'),
    /** Ranks on the indices as shown (2 decimals) or in full precision. */
    rank: z.enum(['shown', 'full']).default('shown'),
    /** Count responses from invitations, open surveys (unit QR) or both (admins only). */
    source: z.enum(['all', 'invited', 'open']).default('all'),
    /** Count or leave out responses flagged by data-quality checks (admins only). */
    quality: z.enum(['include', 'exclude_flagged']).default('include'),
    /** Test data (simulator, invitations marked test): left out, counted too, or counted alone (admins only). */
    test: z.enum(['exclude', 'include', 'only']).default('exclude'),
    /** Microdata only: include free-text answers (they may contain personal details). */
    text: z.enum(['0', '1']).default('0'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" must not be after "to"', path: ['from'] })
  .refine((q) => !q.period || (!q.from && !q.to), { message: 'give either "period" or "from"/"to", not both', path: ['period'] })
  .refine((q) => !q.round || (!q.period && !q.from && !q.to), { message: 'a round is the period: give "round" alone, without "period" or "from"/"to"', path: ['round'] });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  'csv-long': 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

export function downloadName(kind: string, q: ReportQuery, range: { from: string | null; to: string | null; period: { name: string } | null }): string {
  const when = range.period ? [range.period.name] : [range.from ?? 'all', range.to ?? 'now'];
  return [kind, q.questionnaire.replace('@', '-v'), ...when, q.group ?? ''].filter(Boolean).join('_') + (q.format === 'csv-long' ? '_long.csv' : `.${q.format}`);
}
