import type { Question, QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { choiceAnswer } from './choice-answer.js';
import type { AnswerInput } from './common-schemas.js';
import type { ChoiceEvent } from './inbound-event.js';
import { VI } from './messages-vi.js';
import { foldText } from './normalize-text.js';
import { parseAnswer } from './parse-answer.js';
import { findQuestion, previousShown } from './question-flow.js';
import { renderQuestion } from './render-question.js';
import { advance, leaveQuestion, recordAnswer } from './survey-steps.js';
import type { Turn } from './turn.js';

const MULTI_DONE = new Set(['xong', 'ok', 'done', 'hoan tat', 'xac nhan']);

function accept(turn: Turn, def: QuestionnaireDefinition, q: Question, answer: AnswerInput, messageId?: string, lead?: string): void {
  recordAnswer(turn, def, q, answer);
  leaveQuestion(turn, def, messageId);
  advance(turn, def, lead);
}

/** Explains and re-asks; at the cap the question is recorded as unanswered (an earlier answer is kept) and the survey moves on. */
function invalid(turn: Turn, def: QuestionnaireDefinition, q: Question, error: string): void {
  const s = turn.s;
  s.attempts += 1;
  turn.change();
  if (s.attempts < turn.settings.maxAttempts) {
    turn.send(renderQuestion(def, s, q, { lead: error }));
    return;
  }
  const kept = s.answers[q.code] !== undefined;
  if (!kept) recordAnswer(turn, def, q, { status: 'unanswered', value: null });
  leaveQuestion(turn, def);
  advance(turn, def, `${error}\n${kept ? VI.capKept : VI.capReached}`);
}

function confirmMulti(turn: Turn, def: QuestionnaireDefinition, q: Extract<Question, { kind: 'multi' }>, messageId?: string): void {
  const draft = turn.s.multiDraft;
  if (!draft.length) return invalid(turn, def, q, VI.invalid.multiEmpty);
  const value = q.options.filter((o) => draft.includes(o.value)).map((o) => o.value);
  accept(turn, def, q, { status: 'answered', value }, messageId);
}

function toggle(turn: Turn, def: QuestionnaireDefinition, q: Extract<Question, { kind: 'multi' }>, value: string, messageId?: string): void {
  const option = /^\d{1,3}$/.test(value) ? q.options[Number(value) - 1] : undefined;
  if (!option) return invalid(turn, def, q, VI.invalid.multi(q.options.length));
  const s = turn.s;
  const selected = s.multiDraft.includes(option.value);
  if (!selected && q.maxChoices && s.multiDraft.length >= q.maxChoices) {
    turn.send(renderQuestion(def, s, q, { lead: VI.invalid.multiTooMany(q.maxChoices) }));
    return;
  }
  s.multiDraft = selected ? s.multiDraft.filter((v) => v !== option.value) : [...s.multiDraft, option.value];
  turn.change();
  turn.send(renderQuestion(def, s, q, messageId ? { editMessageId: messageId } : {}));
}

export function goBack(turn: Turn, def: QuestionnaireDefinition, messageId?: string): void {
  const s = turn.s;
  const current = findQuestion(def, s.current);
  const prev = current && previousShown(def, s.answers, current.code);
  if (!current || !prev) {
    turn.change();
    if (current) turn.send(renderQuestion(def, s, current, { lead: VI.backAtFirst }));
    return;
  }
  leaveQuestion(turn, def, messageId);
  Object.assign(s, { current: prev.code, attempts: 0, multiDraft: [] });
  turn.change();
  turn.send(renderQuestion(def, s, prev));
}

export function skipQuestion(turn: Turn, def: QuestionnaireDefinition, messageId?: string): void {
  const q = findQuestion(def, turn.s.current);
  if (!q) return;
  if (q.required) return invalid(turn, def, q, VI.invalid.skipRequired(q.kind === 'likert5' && q.allowNa));
  accept(turn, def, q, { status: 'unanswered', value: null }, messageId, VI.skipped);
}

export function answerText(turn: Turn, def: QuestionnaireDefinition, text: string): void {
  const q = findQuestion(def, turn.s.current);
  if (!q) return advance(turn, def);
  if (q.kind === 'multi' && turn.s.multiDraft.length && MULTI_DONE.has(foldText(text))) return confirmMulti(turn, def, q);
  const parsed = parseAnswer(q, text);
  if (parsed.ok) accept(turn, def, q, parsed.answer);
  else invalid(turn, def, q, parsed.error);
}

/** A press on the current question's keyboard (the dispatcher has checked it is current). */
export function answerChoice(turn: Turn, def: QuestionnaireDefinition, ev: ChoiceEvent): void {
  const q = findQuestion(def, turn.s.current);
  if (!q) return advance(turn, def);
  if (ev.value === 'back') return goBack(turn, def, ev.messageId);
  if (ev.value === 'skip') return skipQuestion(turn, def, ev.messageId);
  if (q.kind === 'multi') return ev.value === 'ok' ? confirmMulti(turn, def, q, ev.messageId) : toggle(turn, def, q, ev.value, ev.messageId);
  const parsed = choiceAnswer(q, ev.value);
  if (parsed.ok) accept(turn, def, q, parsed.answer, ev.messageId);
  else invalid(turn, def, q, parsed.error);
}
