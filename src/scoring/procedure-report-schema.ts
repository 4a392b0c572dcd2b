import { z } from 'zod';
import { daySchema, intervalSchema, reportFiltersSchema, reportMethodSchema, reportNodeSchema } from './report-schema.js';

/**
 * The per-procedure breakdown (thủ tục hành chính, grouped by lĩnh vực): the index tree of
 * one scope (a unit, or every unit) per procedure or per field, withheld as units are.
 * Indices are percentages in full precision; `null` = no valid answer or withheld.
 */

const count = z.number().int().nonnegative();
const percent = z.number().min(0).max(100);

const cellFields = {
  /** Counted responses; `null` when the cell is withheld. */
  responses: count.nullable(),
  index: percent.nullable(),
  ci: intervalSchema.nullable(),
  /** Fewer responses than the minimum cell. */
  lowSample: z.boolean(),
  /** Withheld (low sample, or complementary suppression): no counts, no indices. */
  suppressed: z.boolean(),
  nodes: z.array(reportNodeSchema),
};

/** One procedure, or one field (`by=field`). */
export const procedureRowSchema = z.object({
  /** Procedure code, or the field (`by=field`); `null` for responses without a procedure, or (fields) procedures outside the catalogue. */
  code: z.string().nullable(),
  /** The catalogue's name ("Chưa phân loại" for the unclassified field; a code outside the catalogue is its own name). */
  name: z.string(),
  /** The row's field (lĩnh vực); `null` when unclassified. */
  field: z.string().nullable(),
  ...cellFields,
});

export const procedureReportSchema = z.object({
  questionnaire: z.object({ code: z.string(), version: z.number().int().positive(), title: z.string() }),
  method: reportMethodSchema.pick({ mode: true, aggregation: true }).extend({
    /** Every figure pools the answers of its cell (procedures have no unit mean). */
    totals: z.literal('pooled'),
  }),
  period: z.object({ from: daySchema.nullable(), to: daySchema.nullable() }),
  periodName: z.string().nullable(),
  /** The unit whose responses are broken down; `null` = every unit. */
  unit: z.object({ code: z.string(), name: z.string(), group: z.string() }).nullable(),
  by: z.enum(['procedure', 'field']),
  filters: reportFiltersSchema,
  minCell: z.number().int().positive(),
  generatedAt: z.iso.datetime(),
  /** The scope as a whole (the index report's unit, or its overall block, with answers pooled). */
  total: z.object(cellFields),
  rows: z.array(procedureRowSchema),
});

export type ProcedureRow = z.infer<typeof procedureRowSchema>;
export type ProcedureReport = z.infer<typeof procedureReportSchema>;
