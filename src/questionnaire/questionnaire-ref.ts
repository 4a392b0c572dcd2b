import { z } from 'zod';

/** Versions are PostgreSQL `integer`s: a larger number could never match and would fail the query. */
const MAX_VERSION = 2_147_483_647;

export type QuestionnaireRef = { code: string; version?: number };

/**
 * A questionnaire named in a request: "sipas-2017" (which version is the caller's rule)
 * or "sipas-2017@1" (that version). Validated here, once, so that a malformed or
 * out-of-range version is a 400 with a clear message, not a failed database query.
 */
export const questionnaireRefSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,64}(@\d{1,10})?$/, 'expected a questionnaire code such as sipas-2017 or sipas-2017@1')
  .refine((s) => {
    const { version } = parseQuestionnaireRef(s);
    return version === undefined || (version >= 1 && version <= MAX_VERSION);
  }, 'the version must be between 1 and 2147483647');

/** Splits a reference that matches `questionnaireRefSchema`'s pattern. */
export function parseQuestionnaireRef(text: string): QuestionnaireRef {
  const [code, version] = text.trim().split('@');
  return { code: code!, ...(version ? { version: Number(version) } : {}) };
}
