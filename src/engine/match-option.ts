import type { QuestionOption } from '../questionnaire/definition-schema.js';
import { foldText } from './normalize-text.js';

/** "3", "3.", "3)", "3 - Hài lòng": a number, optionally followed by its own label. */
const NUMBERED = /^(\d{1,3})(?:\s*[.):–-]?\s*(.*))?$/s;

export type NumberedInput = { number: number; rest: string };

export function splitNumbered(folded: string): NumberedInput | null {
  const m = NUMBERED.exec(folded);
  return m ? { number: Number(m[1]), rest: (m[2] ?? '').trim() } : null;
}

/**
 * Finds the option a citizen typed (already folded): its number (1-based), its label,
 * one of its aliases, or an unambiguous prefix of at least 3 characters of its label.
 * Returns the 0-based index or -1.
 */
export function matchOption(options: readonly QuestionOption[], folded: string): number {
  if (!folded) return -1;
  const labels = options.map((o) => foldText(o.text.vi));
  const numbered = splitNumbered(folded);
  if (numbered) {
    const i = numbered.number - 1;
    if (i < 0 || i >= options.length) return -1;
    return numbered.rest === '' || numbered.rest === labels[i] ? i : -1;
  }
  const exact = labels.indexOf(folded);
  if (exact >= 0) return exact;
  const alias = options.findIndex((o) => (o.aliases ?? []).some((a) => foldText(a) === folded));
  if (alias >= 0) return alias;
  if (folded.length >= 3) {
    const prefixed = labels.flatMap((l, i) => (l.startsWith(folded) ? [i] : []));
    if (prefixed.length === 1) return prefixed[0]!;
  }
  return -1;
}
