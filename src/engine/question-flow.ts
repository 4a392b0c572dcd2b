import type { Condition, Question, QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import type { RecordedAnswer } from './session-schema.js';
import type { Progress } from './outbound-message.js';

type Answers = Readonly<Record<string, RecordedAnswer>>;
/** visible: shown given the answers; hidden: its condition is false; maybe: depends on questions not answered yet. */
export type Visibility = 'visible' | 'hidden' | 'maybe';
type Ref = { state: 'hidden' } | { state: 'pending' } | { state: 'recorded'; answer: RecordedAnswer };

/** Strict comparison against the stored value (see `Condition`): true/false, option value, 1–5, text; multi: any chosen. */
function matches(answer: RecordedAnswer, expected: string | number | boolean): boolean {
  if (answer.status !== 'answered') return false;
  return Array.isArray(answer.value) ? answer.value.includes(expected as string) : answer.value === expected;
}

/**
 * Three-valued: undefined when the condition depends on a question that has not been reached.
 * `answered` means a real answer (N/A and unanswered do not count); a hidden question has no answer.
 */
function evaluate(c: Condition, ref: (code: string) => Ref): boolean | undefined {
  if ('all' in c) {
    const rs = c.all.map((x) => evaluate(x, ref));
    return rs.includes(false) ? false : rs.includes(undefined) ? undefined : true;
  }
  if ('any' in c) {
    const rs = c.any.map((x) => evaluate(x, ref));
    return rs.includes(true) ? true : rs.includes(undefined) ? undefined : false;
  }
  if ('not' in c) {
    const r = evaluate(c.not, ref);
    return r === undefined ? undefined : !r;
  }
  const r = ref(c.question);
  if (r.state === 'pending') return undefined;
  const answer = r.state === 'recorded' ? r.answer : null;
  if ('answered' in c) return (answer?.status === 'answered') === c.answered;
  if ('equals' in c) return answer ? matches(answer, c.equals) : false;
  return answer ? c.in.some((v) => matches(answer, v)) : false;
}

/** Visibility of every question, in definition order (conditions only refer to earlier questions). */
export function visibilityOf(def: QuestionnaireDefinition, answers: Answers): Map<string, Visibility> {
  const vis = new Map<string, Visibility>();
  const ref = (code: string): Ref => {
    if (vis.get(code) === 'hidden') return { state: 'hidden' };
    const answer = answers[code];
    return answer ? { state: 'recorded', answer } : { state: 'pending' };
  };
  for (const q of def.questions) {
    const r = q.showIf ? evaluate(q.showIf, ref) : true;
    vis.set(q.code, r === undefined ? 'maybe' : r ? 'visible' : 'hidden');
  }
  return vis;
}

export function findQuestion(def: QuestionnaireDefinition, code: string | null): Question | undefined {
  return code === null ? undefined : def.questions.find((q) => q.code === code);
}

/** Recorded answers whose question is no longer shown (a filter answer changed) or unknown. */
export function inapplicableAnswers(def: QuestionnaireDefinition, answers: Answers): string[] {
  const vis = visibilityOf(def, answers);
  return Object.keys(answers).filter((code) => vis.get(code) === undefined || vis.get(code) === 'hidden');
}

/** The first shown question without a recorded answer; undefined when the survey is complete. */
export function firstPending(def: QuestionnaireDefinition, answers: Answers): Question | undefined {
  const vis = visibilityOf(def, answers);
  return def.questions.find((q) => vis.get(q.code) !== 'hidden' && !answers[q.code]);
}

/** The shown question before `current` (what "back" goes to). */
export function previousShown(def: QuestionnaireDefinition, answers: Answers, current: string): Question | undefined {
  const vis = visibilityOf(def, answers);
  const at = def.questions.findIndex((q) => q.code === current);
  return def.questions.slice(0, Math.max(0, at)).reverse().find((q) => vis.get(q.code) === 'visible');
}

/**
 * "Câu current/total". current = 1 + shown questions before this one. total counts shown
 * questions plus those whose condition is still open ("maybe"), so the total never grows
 * as the citizen answers: when a filter is answered "no", the total drops by the questions it hides.
 */
export function progressOf(def: QuestionnaireDefinition, answers: Answers, code: string | null): Progress {
  const vis = visibilityOf(def, answers);
  const at = code === null ? def.questions.length : def.questions.findIndex((q) => q.code === code);
  const before = def.questions.slice(0, Math.max(0, at)).filter((q) => vis.get(q.code) === 'visible').length;
  const total = [...vis.values()].filter((v) => v !== 'hidden').length;
  return { current: before + 1, total: Math.max(total, before + 1) };
}
