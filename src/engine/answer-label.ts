import type { Question } from '../questionnaire/definition-schema.js';
import { LIKERT_LABELS, NOT_APPLICABLE_LABEL, type LikertLevel } from '../questionnaire/likert-scale.js';
import type { AnswerInput } from './common-schemas.js';
import { VI } from './messages-vi.js';

const MAX_LABEL = 200;

/** Human (Vietnamese) label of an answer, e.g. to show it in place of a spent keyboard. Null when unanswered. */
export function answerLabel(question: Question, answer: AnswerInput): string | null {
  if (answer.status === 'not_applicable') return NOT_APPLICABLE_LABEL.vi;
  if (answer.status !== 'answered') return null;
  const v = answer.value;
  switch (question.kind) {
    case 'likert5':
      return typeof v === 'number' && v >= 1 && v <= 5 ? `${v} – ${LIKERT_LABELS[v as LikertLevel].vi}` : null;
    case 'yesno':
      return v === true ? VI.button.yes : v === false ? VI.button.no : null;
    case 'single':
      return question.options.find((o) => o.value === v)?.text.vi ?? null;
    case 'multi': {
      const values = Array.isArray(v) ? v : [];
      const labels = question.options.filter((o) => values.includes(o.value)).map((o) => o.text.vi);
      return labels.length ? labels.join('; ') : null;
    }
    case 'text': {
      const s = typeof v === 'string' ? v : '';
      return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s || null;
    }
  }
}
