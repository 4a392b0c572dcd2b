import { z } from 'zod';
import { dayField } from '../core/parse-day.js';
import { lineField } from '../db/text-field.js';
import { questionnaireRefSchema } from '../questionnaire/questionnaire-ref.js';

/** A round's code: short, URL-safe, as it appears in `round=` queries and download names. */
export const roundCodeSchema = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/, 'a round code is 1–40 letters, digits, ".", "_" or "-"');

export const ON_QUOTA_FULL = ['continue', 'stop_inviting'] as const;
export type OnQuotaFull = (typeof ON_QUOTA_FULL)[number];

const quotaSchema = z.object({ unitCode: z.string().trim().min(1).max(64), target: z.number().int().min(1).max(1_000_000) }).strict();
const quotasSchema = z
  .array(quotaSchema)
  .min(1)
  .max(10_000)
  .refine((qs) => new Set(qs.map((q) => q.unitCode)).size === qs.length, { message: 'each unit appears once in quotas' });

const windowChecks = <T extends { opensOn?: string; closesOn?: string; eligibleFrom?: string | null; eligibleTo?: string | null }>(s: z.ZodType<T>) =>
  s
    .refine((r) => !r.opensOn || !r.closesOn || r.opensOn <= r.closesOn, { message: '"opensOn" must not be after "closesOn"', path: ['opensOn'] })
    .refine((r) => !r.eligibleFrom || !r.eligibleTo || r.eligibleFrom <= r.eligibleTo, { message: '"eligibleFrom" must not be after "eligibleTo"', path: ['eligibleFrom'] });

/** Body of `POST /api/v1/rounds`. Days as yyyy-mm-dd or dd/mm/yyyy. */
export const createRoundSchema = windowChecks(
  z
    .object({
      code: roundCodeSchema,
      name: lineField(200),
      questionnaire: questionnaireRefSchema,
      opensOn: dayField,
      closesOn: dayField,
      eligibleFrom: dayField.optional(),
      eligibleTo: dayField.optional(),
      quotas: quotasSchema,
      onQuotaFull: z.enum(ON_QUOTA_FULL).default('continue'),
    })
    .strict(),
);
export type CreateRound = z.infer<typeof createRoundSchema>;

/** Body of `PATCH /api/v1/rounds/:code`: rename, move dates, replace quotas, or close early (`close: true`). */
export const patchRoundSchema = windowChecks(
  z
    .object({
      name: lineField(200).optional(),
      opensOn: dayField.optional(),
      closesOn: dayField.optional(),
      eligibleFrom: dayField.nullable().optional(),
      eligibleTo: dayField.nullable().optional(),
      quotas: quotasSchema.optional(),
      onQuotaFull: z.enum(ON_QUOTA_FULL).optional(),
      close: z.literal(true).optional(),
    })
    .strict()
    .refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' }),
);
export type PatchRound = z.infer<typeof patchRoundSchema>;
