import type { Question } from '../questionnaire/definition-schema.js';
import { LIKERT_LABELS, LIKERT_LEVELS } from '../questionnaire/likert-scale.js';

export type OptionChoice = { option: string; label: string };

/**
 * The options a question's shares are reported over, with Vietnamese labels, in the
 * questionnaire's order. Keys match `optionKeysOf`: option values for single/multi,
 * "yes"/"no" for yes/no questions, "1"…"5" for likert5 questions.
 */
export function optionChoices(q: Question): OptionChoice[] {
  switch (q.kind) {
    case 'single':
    case 'multi':
      return q.options.map((o) => ({ option: o.value, label: o.text.vi }));
    case 'yesno':
      return [
        { option: 'yes', label: 'Có' },
        { option: 'no', label: 'Không' },
      ];
    case 'likert5':
      return LIKERT_LEVELS.map((level) => ({ option: String(level), label: LIKERT_LABELS[level].vi }));
    case 'text':
      return [];
  }
}
