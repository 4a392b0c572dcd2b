import { z } from 'zod';
import { lineField } from '../db/text-field.js';
import { questionnaireRefSchema } from '../questionnaire/questionnaire-ref.js';
import { parsePeriod } from '../scoring/report-period.js';
import { roundCodeSchema } from '../rounds/round-schema.js';

/** "A,B": exactly two comma-separated items, each checked by `item`. */
const pair = (item: z.ZodType<string, string>, what: string) =>
  z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.tuple([item, item], { error: `give two ${what}, comma-separated: earlier first` }));

const periodName = z.string().refine((s) => parsePeriod(s).ok, { message: 'not a period: write a year (2026), a quarter (2026-Q4) or a month (2026-12)' });

/**
 * Query of `GET /api/v1/reports/trend`: two rounds or two named periods (A, then B), and
 * the report options of `/reports/index`, applied to both sides alike.
 */
export const trendQuerySchema = z
  .object({
    /** With `periods`: the instrument (a bare code is its highest version). With `rounds`: optional; each round names its own. */
    questionnaire: questionnaireRefSchema.optional(),
    rounds: pair(roundCodeSchema, 'round codes').optional(),
    periods: pair(periodName, 'periods').optional(),
    group: lineField(64).optional(),
    format: z.enum(['json', 'xlsx']).default('json'),
    total: z.enum(['mean', 'pooled']).default('mean'),
    rank: z.enum(['shown', 'full']).default('shown'),
    source: z.enum(['all', 'invited', 'open']).default('all'),
    quality: z.enum(['include', 'exclude_flagged']).default('include'),
    test: z.enum(['exclude', 'include', 'only']).default('exclude'),
  })
  .refine((q) => (q.rounds ? 1 : 0) + (q.periods ? 1 : 0) === 1, { message: 'give either "rounds=A,B" or "periods=A,B"', path: ['rounds'] });
export type TrendQuery = z.infer<typeof trendQuerySchema>;

/** One side as the index report's own query parameters (validated again by `reportQuerySchema`). */
export function sideQuery(q: TrendQuery, side: 0 | 1): Record<string, string> {
  const common = { group: q.group, total: q.total, rank: q.rank, source: q.source, quality: q.quality, test: q.test };
  const own = q.rounds ? { round: q.rounds[side], questionnaire: q.questionnaire } : { period: q.periods![side], questionnaire: q.questionnaire };
  return Object.fromEntries(Object.entries({ ...common, ...own }).filter(([, v]) => v !== undefined)) as Record<string, string>;
}
