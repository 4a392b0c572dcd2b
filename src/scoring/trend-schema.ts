import { z } from 'zod';
import { daySchema, nodeKindSchema, reportMethodSchema } from './report-schema.js';

/**
 * The trend report: two index reports (A, then B) compared unit by unit and node by node.
 * This Zod schema is the single source of the trend's TypeScript types; the JSON and the
 * XLSX are rendered from it. Indices are percentages in full precision; `change` is
 * B − A in percentage points. `null` means the figure is missing or withheld on either side.
 */

const count = z.number().int().nonnegative();
const percent = z.number().min(0).max(100);

/** How a change was tested at 95 %: see `compareReports` and docs/METHODOLOGY.md. */
export const changeTestSchema = z.enum(['two_proportion_z', 'difference_interval']);

/** One index compared: both values, the change and whether it is larger than its uncertainty. */
export const indexChangeSchema = z.object({
  a: percent.nullable(),
  b: percent.nullable(),
  /** B − A in percentage points. */
  change: z.number().nullable(),
  /** Standard error of the change in points, under the test's assumptions (`method`); `null` when unknown. */
  se: z.number().nonnegative().nullable(),
  /** The change is larger than its 95 % uncertainty (|change| > 1.96·se). `null` when the change is. */
  significant: z.boolean().nullable(),
});

/** A shared node of one scope, by code (its kind and title are in the trend's `nodes`). */
export const nodeChangeSchema = z.object({ code: z.string(), ...indexChangeSchema.shape });

/** A node both instruments have, as listed once for the whole trend. */
export const trendNodeSchema = z.object({
  code: z.string(),
  kind: nodeKindSchema,
  /** The node's title in report B. */
  title: z.string(),
});

const sideCounts = z.object({ a: count.nullable(), b: count.nullable() });

/** What every compared scope carries: responses on each side, the overall index and the shared nodes (parents before children). */
const scopeTrendFields = {
  /** Completed, counted responses on each side; `null` where withheld or absent. */
  responses: sideCounts,
  /** Withheld (or absent) in either report: every change is `null`. */
  suppressed: z.boolean(),
  overall: indexChangeSchema,
  nodes: z.array(nodeChangeSchema),
};

export const unitTrendSchema = z.object({
  code: z.string(),
  name: z.string(),
  group: z.string(),
  /** Rank within the unit's group in each report, and how far it moved up (A − B; negative: down). */
  rank: z.object({ a: z.number().int().positive().nullable(), b: z.number().int().positive().nullable(), change: z.number().int().nullable() }),
  ...scopeTrendFields,
});

export const groupTrendSchema = z.object({ group: z.string(), label: z.string(), ...scopeTrendFields });

/** One side of the comparison: its period or round, and the instrument it was scored under. */
export const trendSideSchema = z.object({
  /** The period's name ("2025", "2026-Q1") or "round-CODE". */
  name: z.string(),
  from: daySchema.nullable(),
  to: daySchema.nullable(),
  questionnaire: z.object({ code: z.string(), version: z.number().int().positive(), title: z.string() }),
});

export const trendReportSchema = z.object({
  a: trendSideSchema,
  b: trendSideSchema,
  /** The two sides were scored under different questionnaire versions (or codes). */
  instrumentChanged: z.boolean(),
  /** The nodes compared (same code and kind on both sides), parents before children: every scope's `nodes` follow this order. */
  nodes: z.array(trendNodeSchema),
  /** Nodes found on one side only (by code, or with another kind): not compared. */
  leftOut: z.array(z.object({ code: z.string(), kind: nodeKindSchema, title: z.string(), onlyIn: z.enum(['a', 'b']) })),
  method: z.object({
    totals: reportMethodSchema.shape.totals,
    rankOn: reportMethodSchema.shape.rankOn,
    confidence: z.literal(0.95),
    /** Criteria of units (and of totals when `totals` is pooled), whose index is the share of 4–5 answers: the pooled two-proportion z-test. */
    criterion: changeTestSchema,
    /** Elements, fields, overall indices, and criteria of mean-of-units totals: the 95 % interval of the difference. */
    aggregate: changeTestSchema,
  }),
  group: z.string().nullable(),
  minCell: z.number().int().positive(),
  generatedAt: z.iso.datetime(),
  overall: z.object(scopeTrendFields),
  groups: z.array(groupTrendSchema),
  units: z.array(unitTrendSchema),
});

export type IndexChange = z.infer<typeof indexChangeSchema>;
export type NodeChange = z.infer<typeof nodeChangeSchema>;
export type TrendNode = z.infer<typeof trendNodeSchema>;
export type UnitTrend = z.infer<typeof unitTrendSchema>;
export type GroupTrend = z.infer<typeof groupTrendSchema>;
export type TrendSide = z.infer<typeof trendSideSchema>;
export type TrendReport = z.infer<typeof trendReportSchema>;
