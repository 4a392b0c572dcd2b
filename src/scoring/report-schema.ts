import { z } from 'zod';
import { levelRuleSchema, questionRoleSchema, surveyModeSchema } from '../questionnaire/definition-schema.js';
import { romanNumeral } from './roman-numeral.js';

/**
 * The index report (design brief section 4), extended with confidence intervals,
 * small-cell flags and option shares. This Zod schema is the single source of the
 * report's TypeScript types; JSON, CSV and XLSX exports are all rendered from it.
 *
 * Every `index` and `share` is a percentage in full precision (rounded only for
 * display); `null` means there is no valid answer or the figure is withheld.
 */

const count = z.number().int().nonnegative();
const percent = z.number().min(0).max(100);
/** A calendar day, YYYY-MM-DD (periods are by completion day, Asia/Ho_Chi_Minh). */
export const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

/** A 95% interval in percent. Criteria: Wilson; other nodes: see `scoreTree`. */
export const intervalSchema = z.object({ low: percent, high: percent });

export const likertCountsSchema = z.object({ '1': count, '2': count, '3': count, '4': count, '5': count, na: count });

export const nodeKindSchema = z.enum(['field', 'element', 'criterion']);

export const reportNodeSchema = z.object({
  code: z.string(),
  kind: nodeKindSchema,
  title: z.string(),
  index: percent.nullable(),
  ci: intervalSchema.nullable(),
  /**
   * Sample size: valid answers (levels 1–5, N/A excluded). On fields and elements, the sum
   * over their criteria, i.e. ratings, not respondents (the scope's `responses` counts
   * respondents). Omitted when the unit is suppressed.
   */
  n: count.optional(),
  /** Criteria only: answers per level and "na"; omitted when the unit is suppressed. */
  counts: likertCountsSchema.optional(),
  get children() {
    return z.array(reportNodeSchema).optional();
  },
});

export const optionShareSchema = z.object({
  option: z.string(),
  label: z.string(),
  count,
  /** 100 × count / answered; `null` when nobody answered. Multi-choice shares may sum past 100. */
  share: z.number().min(0).nullable(),
});

export const questionSharesSchema = z.object({
  code: z.string(),
  role: questionRoleSchema,
  title: z.string(),
  /** Respondents who answered the question (the denominator of its shares). */
  answered: count,
  shares: z.array(optionShareSchema),
});

/** Completed, counted responses of a cell, in the sources and quality the report counts. */
const cellCounts = {
  /** `null` when the cell is withheld: a withheld cell publishes no counts. */
  responses: count.nullable(),
  /** The cell's responses by how they came (whatever `filters.source`); `null` when withheld. */
  bySource: z.object({ invited: count, open: count }).nullable(),
  /** Responses of the cell that failed a data-quality check (counted or not, as `filters.quality` says); `null` when withheld. */
  flagged: count.nullable(),
};

/** What every published total carries: counts, index, interval, suppression, the index tree. */
const totalFields = {
  ...cellCounts,
  index: percent.nullable(),
  ci: intervalSchema.nullable(),
  /** Fewer completed responses than the minimum cell size. */
  lowSample: z.boolean(),
  /** Breakdown withheld (low sample, or complementary suppression): indices null, no counts, no options. */
  suppressed: z.boolean(),
  nodes: z.array(reportNodeSchema),
};

const scopeFields = { ...totalFields, options: z.array(questionSharesSchema) };

export const unitReportSchema = z.object({
  code: z.string(),
  name: z.string(),
  group: z.string(),
  ...scopeFields,
  /** Rank by overall index within the unit's group; ties share a rank; `null` when the index is null. */
  rank: z.number().int().positive().nullable(),
  /**
   * Rank among the units of every group not ranked separately (same tie rule as `rank`);
   * `null` when the index is null or the unit's group has `rankSeparately` (e.g. branch offices).
   */
  overallRank: z.number().int().positive().nullable().default(null),
});

/**
 * A unit group's total (its units' answers, or the mean of its published units' indices: see `method.totals`).
 * Reports made before groups were data lack `label`, `order`, `section` and `rankSeparately`:
 * parsing fills them (label = code, order 0, section from the position in `groups`, not ranked separately).
 */
export const groupReportSchema = z
  .object({
    /** The group's code (what units carry as `group`). */
    group: z.string(),
    /** Display label, e.g. "UBND cấp xã". */
    label: z.string().optional(),
    /** Position among the groups (reports list groups by `order`, then code). */
    order: z.number().int().default(0),
    /** Roman numeral of the group's section ("I", "II", …): its position among the groups of the unfiltered report. */
    section: z.string().optional(),
    /** Its units are ranked only among themselves and left out of the province-wide `overallRank`. */
    rankSeparately: z.boolean().default(false),
    ...totalFields,
  })
  .transform((g) => ({ ...g, label: g.label ?? g.group }));

/** How the numbers were made, so that a reader (and the Ministry) can tell what they compare with. */
export const reportMethodSchema = z.object({
  /** Asked as the national forms ask (no N/A on criteria, every criterion of everyone), or a province's own variant. */
  mode: surveyModeSchema,
  /** How fields and the overall index combine what is below them, with the evidence for each rule. */
  aggregation: z.object({ field: levelRuleSchema, overall: levelRuleSchema }),
  /** Group and overall totals: the mean of the published unit indices ("trung bình"), or all answers pooled. */
  totals: z.enum(['mean_of_units', 'pooled']),
  /** Ranks compare the indices as shown (2 decimals: equal shown values tie) or in full precision. */
  rankOn: z.enum(['shown', 'full']),
});

export const reportFiltersSchema = z.object({
  source: z.enum(['all', 'invited', 'open']),
  quality: z.enum(['include', 'exclude_flagged']),
  /** Test data (simulator, invitations marked test): left out (absent means left out), counted too, or counted alone. */
  test: z.enum(['exclude', 'include', 'only']).optional(),
});

export const indexReportSchema = z.object({
  questionnaire: z.object({
    code: z.string(),
    version: z.number().int().positive(),
    title: z.string(),
    /** Legal basis or method reference from the definition, for the methodology sheet. */
    basis: z.string().optional(),
  }),
  method: reportMethodSchema,
  /** Completion days, inclusive; `null` = unbounded. */
  period: z.object({ from: daySchema.nullable(), to: daySchema.nullable() }),
  /** The named period the report covers (e.g. "2026", "2026-Q4", "2026-12"); `null` for a free range. */
  periodName: z.string().nullable(),
  /** The unit group the report is limited to; `null` = all groups. */
  group: z.string().nullable(),
  /** The province the report is about, for titles (config `PROVINCE_NAME`, e.g. "tỉnh Quảng Nam"); `null` when not configured. */
  province: z.string().nullable().default(null),
  /** Which responses are counted: by source, and with or without those flagged by quality checks. */
  filters: reportFiltersSchema,
  /** Responses in the report's scope left out by `filters`; `null` when the scope itself is withheld. */
  excluded: z.object({ flagged: count, otherSource: count }).nullable(),
  minCell: z.number().int().positive(),
  generatedAt: z.iso.datetime(),
  overall: z.object(scopeFields),
  groups: z.array(groupReportSchema).transform((groups) => groups.map((g, i) => ({ ...g, section: g.section ?? romanNumeral(i + 1) }))),
  units: z.array(unitReportSchema),
});

export type Interval = z.infer<typeof intervalSchema>;
export type ReportNode = z.infer<typeof reportNodeSchema>;
export type QuestionShares = z.infer<typeof questionSharesSchema>;
export type OptionShare = z.infer<typeof optionShareSchema>;
export type UnitReport = z.infer<typeof unitReportSchema>;
export type GroupReport = IndexReport['groups'][number];
export type ReportMethod = z.infer<typeof reportMethodSchema>;
export type IndexReport = z.infer<typeof indexReportSchema>;
export type ReportFilters = z.infer<typeof reportFiltersSchema>;
