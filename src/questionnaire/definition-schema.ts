import { z } from 'zod';

/**
 * Zod schema of a questionnaire definition: the single source of the
 * `QuestionnaireDefinition` type. Definitions are data (JSON files under
 * `questionnaires/`), never code; `parseDefinition` adds the cross-field checks.
 */

const code = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9._-]+$/, 'codes use A-Z, a-z, 0-9, ".", "_" and "-"');

/** Citizen-facing text: Vietnamese (required, NFC) with an optional English translation. */
export const textSchema = z.object(
  {
    vi: z
      .string()
      .trim()
      .min(1, 'Vietnamese text is required')
      .refine((s) => s === s.normalize('NFC'), 'Vietnamese text must be NFC-normalised'),
    en: z.string().trim().min(1).optional(),
  },
  // A missing text is the common authoring slip; say what is expected instead of "expected object".
  { error: (issue) => (issue.input === undefined ? 'text is required: { "vi": "…", "en": "…" }' : undefined) },
);
export type LocalizedText = z.infer<typeof textSchema>;

export const optionSchema = z.object({
  value: code,
  text: textSchema,
  /** Extra words a citizen may type to pick this option (matched case- and accent-insensitively). */
  aliases: z.array(z.string().min(1)).optional(),
});
export type QuestionOption = z.infer<typeof optionSchema>;

/**
 * Show a question only when earlier answers match. Values compare against the answer as
 * stored: yes/no → `true`/`false`, single → the option `value`, multi → matches when any
 * chosen option value matches, likert5 → the number 1–5, text → the string.
 * `parseDefinition` rejects values the referenced question can never produce.
 */
export type Condition =
  | { question: string; equals: string | number | boolean }
  | { question: string; in: (string | number | boolean)[] }
  | { question: string; answered: boolean }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const conditionSchema: z.ZodType<Condition, Condition> = z.lazy(() =>
  z.union([
    z.object({ question: code, equals: scalar }).strict(),
    z.object({ question: code, in: z.array(scalar).min(1) }).strict(),
    z.object({ question: code, answered: z.boolean() }).strict(),
    z.object({ all: z.array(conditionSchema).min(1) }).strict(),
    z.object({ any: z.array(conditionSchema).min(1) }).strict(),
    z.object({ not: conditionSchema }).strict(),
  ]),
);

/** What a question is for; drives reporting (index vs option shares vs microdata). */
export const questionRoleSchema = z.enum([
  'criterion',
  'profile',
  'procedure',
  'filter',
  'perception',
  'overall',
  'expectation',
  'comment',
]);
export type QuestionRole = z.infer<typeof questionRoleSchema>;

/** Where an item's wording comes from (a form, a decision, a transcription), or that it is ours: shown in the methodology. */
const source = z.string().trim().min(1).max(1000);

const questionBase = {
  code,
  text: textSchema,
  source: source.optional(),
  help: textSchema.optional(),
  role: questionRoleSchema,
  /** Required questions cannot be skipped with "bỏ qua"; optional ones can. Default true. */
  required: z.boolean().default(true),
  showIf: conditionSchema.optional(),
};

export const questionSchema = z.discriminatedUnion('kind', [
  z.object({ ...questionBase, kind: z.literal('likert5'), allowNa: z.boolean().default(true) }).strict(),
  z.object({ ...questionBase, kind: z.literal('single'), options: z.array(optionSchema).min(2) }).strict(),
  z
    .object({
      ...questionBase,
      kind: z.literal('multi'),
      options: z.array(optionSchema).min(2),
      maxChoices: z.number().int().positive().optional(),
    })
    .strict(),
  z.object({ ...questionBase, kind: z.literal('yesno') }).strict(),
  z
    .object({ ...questionBase, kind: z.literal('text'), maxLength: z.number().int().min(1).max(2000).default(500) })
    .strict(),
]);
export type Question = z.infer<typeof questionSchema>;
export type QuestionKind = Question['kind'];

export type IndexNodeInput = {
  code: string;
  kind: 'field' | 'element' | 'criterion';
  title: LocalizedText;
  /** For criteria: the likert5 question that measures it. */
  question?: string;
  source?: string;
  children?: IndexNodeInput[];
};
export const indexNodeSchema: z.ZodType<IndexNodeInput, IndexNodeInput> = z.lazy(() =>
  z
    .object({
      code,
      kind: z.enum(['field', 'element', 'criterion']),
      title: textSchema,
      question: code.optional(),
      source: source.optional(),
      children: z.array(indexNodeSchema).optional(),
    })
    .strict(),
);

/**
 * How a level of the index combines what is below it: the unweighted mean of its children
 * (an overall index as the mean of its fields), or the unweighted mean of every criterion
 * below it (the 2023–2026 national overall index: the mean of its 39 criteria). For an
 * element both are the same (its children are criteria).
 */
export const aggregationRuleSchema = z.enum(['mean_of_children', 'mean_of_criteria']);
export type AggregationRule = z.infer<typeof aggregationRuleSchema>;

/** How sure we are of a rule: an official text states it, published figures fit it (and rule others out), or it is our reading. */
export const ruleEvidenceSchema = z.enum(['official_text', 'published_figures', 'our_reading']);

export const levelRuleSchema = z.object({ rule: aggregationRuleSchema, evidence: ruleEvidenceSchema, basis: source }).strict();
export type LevelRule = z.infer<typeof levelRuleSchema>;

/** The rule of each level above the criteria; `field` only for two-field instruments. */
export const aggregationSchema = z.object({ field: levelRuleSchema.optional(), overall: levelRuleSchema }).strict();
export type Aggregation = z.infer<typeof aggregationSchema>;

/**
 * `moha-comparable`: asked exactly as the national forms ask (no "no opinion" option on
 * criteria, every criterion asked of everyone), so the index compares with the Ministry's.
 * `variant`: a province's own form (N/A options, filter questions); reports say which.
 */
export const surveyModeSchema = z.enum(['moha-comparable', 'variant']);
export type SurveyMode = z.infer<typeof surveyModeSchema>;

export const questionnaireDefinitionSchema = z
  .object({
    code,
    version: z.number().int().positive(),
    title: textSchema,
    /** Legal basis or method reference, shown in the report's methodology sheet. */
    basis: z.string().optional(),
    intro: textSchema,
    thanks: textSchema,
    questions: z.array(questionSchema).min(1),
    /** Index tree: top level is fields (two-field instruments) or elements (one-field). */
    index: z.array(indexNodeSchema).min(1),
    /** How each level combines (default: every level the mean of its children, the product's first rule). */
    aggregation: aggregationSchema.optional(),
    /** Default: `variant` when a criterion allows N/A or is shown on a condition, else `moha-comparable`. */
    mode: surveyModeSchema.optional(),
  })
  .strict();

export type QuestionnaireDefinitionInput = z.input<typeof questionnaireDefinitionSchema>;
export type QuestionnaireDefinition = z.infer<typeof questionnaireDefinitionSchema>;
