import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import type { LikertCounts } from './count-types.js';
import { criterionBindings, optionQuestions } from './index-bindings.js';
import { optionKeysOf, type AnswerForRollup } from './option-keys.js';
import { RESPONSES_OPTION, RESPONSES_QUESTION } from './rollup-keys.js';

export type CriterionIncrement = { criterionCode: string } & LikertCounts;
export type OptionIncrement = { questionCode: string; option: string; count: number };
export type RollupIncrements = { criteria: CriterionIncrement[]; options: OptionIncrement[] };

const LEVEL_KEYS = { 1: 'c1', 2: 'c2', 3: 'c3', 4: 'c4', 5: 'c5' } as const;

/**
 * Pure: what one completed response adds to the rollups (for the answers worker, which
 * applies it with `applyRollupIncrements` in the transaction that completes the
 * response). Includes the "__responses"/"all" marker. Criterion answers count under
 * their criterion code (answered 1–5 → c1…c5, not applicable → na); option questions
 * follow `optionKeysOf`; everything else adds nothing. Rows are sorted by key so that
 * concurrent upserts lock rows in the same order.
 */
export function rollupIncrements(
  definition: Pick<QuestionnaireDefinition, 'index' | 'questions'>,
  answers: readonly AnswerForRollup[],
): RollupIncrements {
  const criterionOf = new Map(criterionBindings(definition).map((b) => [b.questionCode, b.criterionCode]));
  const optionCodes = new Set(optionQuestions(definition).map((q) => q.code));
  const criteria = new Map<string, CriterionIncrement>();
  const options = new Map<string, OptionIncrement>([
    [`${RESPONSES_QUESTION}\u0000${RESPONSES_OPTION}`, { questionCode: RESPONSES_QUESTION, option: RESPONSES_OPTION, count: 1 }],
  ]);
  for (const a of answers) {
    const criterionCode = criterionOf.get(a.questionCode);
    if (criterionCode !== undefined) {
      const level = a.status === 'answered' && a.score != null ? LEVEL_KEYS[a.score as keyof typeof LEVEL_KEYS] : undefined;
      const field = a.status === 'not_applicable' ? 'na' : level;
      if (!field) continue;
      const row = criteria.get(criterionCode) ?? { criterionCode, c1: 0, c2: 0, c3: 0, c4: 0, c5: 0, na: 0 };
      row[field] += 1;
      criteria.set(criterionCode, row);
    } else if (optionCodes.has(a.questionCode)) {
      for (const option of optionKeysOf(a)) {
        const key = `${a.questionCode}\u0000${option}`;
        const row = options.get(key) ?? { questionCode: a.questionCode, option, count: 0 };
        row.count += 1;
        options.set(key, row);
      }
    }
  }
  const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  return { criteria: byKey(criteria), options: byKey(options) };
}
