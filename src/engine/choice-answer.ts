import type { Question } from '../questionnaire/definition-schema.js';
import { VI } from './messages-vi.js';
import type { ParseResult } from './parse-answer.js';

/**
 * A button press (option number as rendered by renderQuestion) → answer.
 * Multi-choice toggles are handled by the engine, not here.
 */
export function choiceAnswer(question: Question, value: string): ParseResult {
  const n = /^\d{1,3}$/.test(value) ? Number(value) : NaN;
  switch (question.kind) {
    case 'likert5':
      if (n >= 1 && n <= 5) return { ok: true, answer: { status: 'answered', value: n, score: n } };
      if (n === 0 && question.allowNa) return { ok: true, answer: { status: 'not_applicable', value: null } };
      return { ok: false, error: VI.invalid.likert(question.allowNa) };
    case 'yesno':
      if (n === 1 || n === 2) return { ok: true, answer: { status: 'answered', value: n === 1 } };
      return { ok: false, error: VI.invalid.yesno };
    case 'single': {
      const option = question.options[n - 1];
      return option ? { ok: true, answer: { status: 'answered', value: option.value } } : { ok: false, error: VI.invalid.single(question.options.length) };
    }
    case 'multi':
      return { ok: false, error: VI.invalid.multi(question.options.length) };
    case 'text':
      return { ok: false, error: VI.invalid.textEmpty };
  }
}
