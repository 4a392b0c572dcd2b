import { z } from 'zod';
import { blankableLineField, lineField } from '../db/text-field.js';

/** One unit in `PUT /api/v1/units` (JSON array or CSV with the same column names). */
export const unitInputSchema = z
  .object({
    code: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'codes use A-Z, a-z, 0-9, ".", "_" and "-"'),
    name: lineField(300).transform((s) => s.normalize('NFC')),
    group: lineField(64),
    parentCode: blankableLineField(64)
      .optional()
      .nullable()
      .transform((v) => (v ? v : null)),
  })
  .strict()
  .refine((u) => u.parentCode !== u.code, { message: 'a unit cannot be its own parent', path: ['parentCode'] });
export type UnitInput = z.infer<typeof unitInputSchema>;

export const MAX_UNITS_PER_UPLOAD = 10_000;
