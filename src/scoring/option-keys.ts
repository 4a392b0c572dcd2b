import { ANSWERED_OPTION, NA_OPTION } from './rollup-keys.js';

export type AnswerForRollup = {
  questionCode: string;
  status: 'answered' | 'not_applicable' | 'unanswered';
  /** Likert level 1–5 (likert5 questions); `null` otherwise. */
  score: number | null;
  /** Single: the option value (string); multi: an array of option values; yes/no: a boolean. */
  value: unknown;
};

const scalarKey = (v: unknown): string | null =>
  typeof v === 'boolean' ? (v ? 'yes' : 'no') : typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;

/**
 * The option-rollup keys one answer to an option question adds 1 to (see rollup-keys.ts):
 * not applicable → ["na"]; unanswered → []; answered → ["__answered", then the score as
 * text if there is one, else each scalar of `value` — an array's elements or the value
 * itself — with booleans as "yes"/"no"]. `rawOptionCountsSql` is its SQL twin.
 */
export function optionKeysOf(answer: Pick<AnswerForRollup, 'status' | 'score' | 'value'>): string[] {
  if (answer.status === 'not_applicable') return [NA_OPTION];
  if (answer.status !== 'answered') return [];
  if (answer.score != null) return [ANSWERED_OPTION, String(answer.score)];
  const values = Array.isArray(answer.value) ? answer.value : [answer.value];
  return [ANSWERED_OPTION, ...values.map(scalarKey).filter((k): k is string => k !== null)];
}
