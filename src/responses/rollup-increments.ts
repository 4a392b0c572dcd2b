import type { FinalAnswer } from '../conversation/effects.js';
import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { criterionBindings, optionQuestions } from '../scoring/index-bindings.js';
import { ANSWERED_OPTION, NA_OPTION, RESPONSES_OPTION, RESPONSES_QUESTION } from '../scoring/rollup-keys.js';

export type CriterionIncrement = { criterionCode: string; column: 'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c_na' };
export type OptionIncrement = { questionCode: string; option: string };

/** Option keys one answer adds to (the TypeScript twin of scoring's raw option SQL). */
export function optionKeysOfAnswer(a: Pick<FinalAnswer, 'status' | 'value' | 'score'>): string[] {
  if (a.status === 'not_applicable') return [NA_OPTION];
  if (a.status !== 'answered') return [];
  if (a.score !== undefined) return [ANSWERED_OPTION, String(a.score)];
  const scalars = Array.isArray(a.value) ? a.value : [a.value];
  const keys = scalars.flatMap((v) => (typeof v === 'boolean' ? [v ? 'yes' : 'no'] : typeof v === 'string' || typeof v === 'number' ? [String(v)] : []));
  return [ANSWERED_OPTION, ...keys];
}

/**
 * What one completed response adds to the rollups (see scoring/rollup-keys.ts for the
 * contract): a likert count per criterion, option counts per reported question, and
 * the response marker.
 */
export function rollupIncrements(def: QuestionnaireDefinition, answers: FinalAnswer[]): { criteria: CriterionIncrement[]; options: OptionIncrement[] } {
  const byQuestion = new Map(answers.map((a) => [a.questionCode, a]));
  const criteria: CriterionIncrement[] = [];
  for (const b of criterionBindings(def)) {
    const a = byQuestion.get(b.questionCode);
    if (!a) continue;
    if (a.status === 'not_applicable') criteria.push({ criterionCode: b.criterionCode, column: 'c_na' });
    else if (a.status === 'answered' && a.score !== undefined && a.score >= 1 && a.score <= 5) {
      criteria.push({ criterionCode: b.criterionCode, column: `c${a.score}` as CriterionIncrement['column'] });
    }
  }
  const options: OptionIncrement[] = [{ questionCode: RESPONSES_QUESTION, option: RESPONSES_OPTION }];
  for (const q of optionQuestions(def)) {
    const a = byQuestion.get(q.code);
    if (a) for (const option of optionKeysOfAnswer(a)) options.push({ questionCode: q.code, option });
  }
  return { criteria, options };
}
