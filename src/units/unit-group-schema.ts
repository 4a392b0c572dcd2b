import { z } from 'zod';
import { lineField } from '../db/text-field.js';
import { unitInputSchema } from './unit-schema.js';

/** One unit group in `PUT /api/v1/unit-groups`: a PUT row replaces the group's label, order and ranking rule. */
export const unitGroupInputSchema = z
  .object({
    /** What units carry as `group` (same rule as a unit's group). */
    code: unitInputSchema.shape.group,
    label: lineField(200).transform((s) => s.normalize('NFC')),
    /** Position of the group's section in reports (smallest first; equal orders go by code). */
    order: z.number().int().min(0).max(1_000_000),
    /** Rank its units only among themselves, outside the province-wide ranking (e.g. land-registry branches). */
    rankSeparately: z.boolean().optional().default(false),
  })
  .strict();
export type UnitGroupInput = z.infer<typeof unitGroupInputSchema>;

export const MAX_UNIT_GROUPS_PER_UPLOAD = 1_000;
