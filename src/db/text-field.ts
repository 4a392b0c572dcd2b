import { z } from 'zod';

// PostgreSQL text cannot hold U+0000 (the insert fails); the other C0 controls have no
// place in a one-line name or code either.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const MESSAGE = 'must not contain control characters (U+0000–U+001F, U+007F)';

export const hasNoControlCharacters = (s: string) => !CONTROL.test(s);

/** A one-line text field that will be stored or queried in PostgreSQL: trimmed, 1…`max` characters, no control characters. */
export const lineField = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine(hasNoControlCharacters, MESSAGE);

/** The same check for an optional field that may be blank. */
export const blankableLineField = (max: number) => z.string().trim().max(max).refine(hasNoControlCharacters, MESSAGE);
