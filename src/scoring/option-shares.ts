import type { Question } from '../questionnaire/definition-schema.js';
import { optionChoices, type OptionChoice } from './option-choices.js';
import type { QuestionShares } from './report-schema.js';
import { ANSWERED_OPTION } from './rollup-keys.js';

/** Option counts of one scope: question code → option key → count. */
export type OptionCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** A question with its reported options, resolved once per report. */
export type ShareQuestion = { question: Question; choices: OptionChoice[] };

export const shareQuestions = (questions: Question[]): ShareQuestion[] => questions.map((question) => ({ question, choices: optionChoices(question) }));

/**
 * Option shares (percent) of non-index questions: share = 100 × count / answered, where
 * `answered` counts respondents who answered the question ("__answered"); `null` when
 * nobody did. Keys that are not options of the question (e.g. "na") are not listed.
 */
export function optionShares(questions: ShareQuestion[], counts: OptionCounts): QuestionShares[] {
  return questions.map(({ question: q, choices }) => {
    const mine = counts.get(q.code);
    const answered = mine?.get(ANSWERED_OPTION) ?? 0;
    return {
      code: q.code,
      role: q.role,
      title: q.text.vi,
      answered,
      shares: choices.map(({ option, label }) => {
        const count = mine?.get(option) ?? 0;
        return { option, label, count, share: answered > 0 ? (100 * count) / answered : null };
      }),
    };
  });
}
