import { z } from 'zod';

/** One unit in `PUT /api/v1/units` (JSON array or CSV with the same column names). */
export const unitInputSchema = z
  .object({
    code: z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._-]+$/, 'codes use A-Z, a-z, 0-9, ".", "_" and "-"'),
    name: z.string().trim().min(1).max(300).transform((s) => s.normalize('NFC')),
    group: z.string().trim().min(1).max(64),
    parentCode: z
      .string()
      .trim()
      .max(64)
      .optional()
      .nullable()
      .transform((v) => (v ? v : null)),
  })
  .strict();
export type UnitInput = z.infer<typeof unitInputSchema>;

export const MAX_UNITS_PER_UPLOAD = 10_000;
