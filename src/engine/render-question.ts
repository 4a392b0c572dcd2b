import type { Question, QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { LIKERT_LABELS, LIKERT_LEVELS, NOT_APPLICABLE_LABEL } from '../questionnaire/likert-scale.js';
import { answerLabel } from './answer-label.js';
import { encodeCallbackData } from './callback-data.js';
import { VI } from './messages-vi.js';
import type { MessageOption, TextMessage } from './outbound-message.js';
import { previousShown, progressOf } from './question-flow.js';
import type { Session } from './session-schema.js';

const answerOption = (q: Question, number: string, label: string, selected?: boolean): MessageOption => ({
  data: encodeCallbackData(q.code, number),
  label,
  number,
  role: 'answer',
  ...(selected === undefined ? {} : { selected }),
});
const control = (q: Question, value: string, label: string): MessageOption => ({
  data: encodeCallbackData(q.code, value),
  label,
  role: 'control',
});

function answerOptions(q: Question, draft: readonly string[]): MessageOption[] {
  switch (q.kind) {
    case 'likert5':
      return [
        ...LIKERT_LEVELS.map((l) => answerOption(q, String(l), LIKERT_LABELS[l].vi)),
        ...(q.allowNa ? [answerOption(q, '0', NOT_APPLICABLE_LABEL.vi)] : []),
      ];
    case 'yesno':
      return [answerOption(q, '1', VI.button.yes), answerOption(q, '2', VI.button.no)];
    case 'single':
      return q.options.map((o, i) => answerOption(q, String(i + 1), o.text.vi));
    case 'multi':
      return [
        ...q.options.map((o, i) => answerOption(q, String(i + 1), o.text.vi, draft.includes(o.value))),
        control(q, 'ok', VI.button.done),
      ];
    case 'text':
      return [];
  }
}

function typingHint(q: Question): string {
  switch (q.kind) {
    case 'likert5':
      return VI.hint.likert(q.allowNa);
    case 'yesno':
      return VI.hint.yesno;
    case 'single':
      return VI.hint.single(q.options.length);
    case 'multi':
      return VI.hint.multi(q.maxChoices);
    case 'text':
      return VI.hint.text(q.maxLength);
  }
}

/** The message asking `question` (progress line, text, current answer if any, options, typing hint). */
export function renderQuestion(
  def: QuestionnaireDefinition,
  session: Session,
  question: Question,
  extra: { lead?: string; editMessageId?: string } = {},
): TextMessage {
  const progress = progressOf(def, session.answers, question.code);
  const canGoBack = previousShown(def, session.answers, question.code) !== undefined;
  const recorded = session.answers[question.code];
  const recordedLabel = recorded ? answerLabel(question, recorded) : null;
  const draft = question.kind === 'multi' ? session.multiDraft : [];
  const draftLabels = question.kind === 'multi' ? question.options.filter((o) => draft.includes(o.value)).map((o) => o.text.vi) : [];
  const text = [
    extra.lead,
    [VI.progress(progress.current, progress.total), question.text.vi, question.help?.vi].filter(Boolean).join('\n'),
    recordedLabel ? VI.currentAnswer(recordedLabel) : undefined,
    draftLabels.length ? VI.chosen(draftLabels.join('; ')) : undefined,
  ]
    .filter(Boolean)
    .join('\n\n');
  const options = [
    ...answerOptions(question, draft),
    ...(question.required ? [] : [control(question, 'skip', VI.button.skip)]),
    ...(canGoBack ? [control(question, 'back', VI.button.back)] : []),
  ];
  const hint = [typingHint(question), question.required ? null : VI.hint.skip, canGoBack ? VI.hint.back : null].filter(Boolean).join(' ');
  return {
    type: 'text',
    text,
    ...(options.length ? { options } : {}),
    hint,
    progress,
    questionCode: question.code,
    ...(extra.editMessageId ? { editMessageId: extra.editMessageId } : {}),
  };
}
