import type { Question, QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { answerLabel } from './answer-label.js';
import type { AnswerInput } from './common-schemas.js';
import type { FinalAnswer } from './effects.js';
import { findQuestion, firstPending, inapplicableAnswers, visibilityOf } from './question-flow.js';
import { renderQuestion } from './render-question.js';
import { cancelTimers } from './timers.js';
import type { Turn } from './turn.js';
import { responseStartedEffect } from './response-started-effect.js';

/**
 * The moves of the question phase shared by the handlers: record an answer (dropping
 * answers a changed filter made inapplicable), leave a question, go to the next one, finish.
 */

/** The keyboard of the question being left is spent: channels replace it by the answer. */
export function leaveQuestion(turn: Turn, def: QuestionnaireDefinition, messageId?: string): void {
  const s = turn.s;
  const q = findQuestion(def, s.current);
  if (!q) return;
  const answer = s.answers[q.code];
  turn.send({ type: 'close_keyboard', questionCode: q.code, chosenLabel: answer ? answerLabel(q, answer) : null, ...(messageId ? { messageId } : {}) });
}

export function recordAnswer(turn: Turn, def: QuestionnaireDefinition, q: Question, input: AnswerInput): void {
  const s = turn.s;
  s.answers[q.code] = { ...input, seq: turn.seq, at: turn.at };
  turn.effect({ type: 'answer_recorded', responseId: s.responseId, questionCode: q.code, ...input, seq: turn.seq });
  for (const code of inapplicableAnswers(def, s.answers)) {
    delete s.answers[code];
    turn.effect({ type: 'answer_removed', responseId: s.responseId, questionCode: code, seq: turn.seq });
  }
  turn.change();
}

function complete(turn: Turn, def: QuestionnaireDefinition): void {
  const s = turn.s;
  const vis = visibilityOf(def, s.answers);
  const answers: FinalAnswer[] = def.questions.flatMap((q) => {
    const a = s.answers[q.code];
    if (!a || vis.get(q.code) !== 'visible') return [];
    return [{ questionCode: q.code, status: a.status, value: a.value, ...(a.score ? { score: a.score } : {}), seq: a.seq }];
  });
  turn.effect({
    type: 'response_completed',
    responseId: s.responseId,
    ...(s.invitationId ? { invitationId: s.invitationId } : {}),
    unitCode: s.unit?.code ?? null,
    answers,
  });
  // Done: the session keeps no answers and nothing the citizen typed (the answers live
  // on, anonymous, in PostgreSQL; the session only remembers that this survey is over).
  Object.assign(s, { phase: 'completed', current: null, endedAt: turn.at, attempts: 0, multiDraft: [], answers: {}, procedureText: null, unitCandidates: [] });
  cancelTimers(turn, s.responseId);
  // The session outlives the survey in Redis, keyed by the chat: it must not name the
  // stored response (anonymity at rest); the invitation id stays, so it is not answered twice.
  Object.assign(s, { responseId: turn.ctx.newId(), procedureCode: null });
  turn.say(def.thanks.vi);
  turn.change();
}

/** Moves to the first shown question without an answer (where the citizen left off), or completes. */
export function advance(turn: Turn, def: QuestionnaireDefinition, lead?: string): void {
  const s = turn.s;
  Object.assign(s, { attempts: 0, multiDraft: [] });
  const next = firstPending(def, s.answers);
  turn.change();
  if (!next) {
    if (lead) turn.say(lead);
    complete(turn, def);
    return;
  }
  s.current = next.code;
  turn.send(renderQuestion(def, s, next, lead ? { lead } : {}));
}

/** Consent (and unit/procedure) done: the response exists from here on. */
export function beginQuestions(turn: Turn, def: QuestionnaireDefinition, lead?: string): void {
  const s = turn.s;
  s.phase = 'question';
  s.responseStarted = true;
  turn.effect(responseStartedEffect(s));
  if (s.invitationId) turn.effect({ type: 'invitation_started', invitationId: s.invitationId, responseId: s.responseId });
  advance(turn, def, lead);
}
