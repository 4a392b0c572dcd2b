import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import type { UnitRef } from './common-schemas.js';
import { STEP_CONSENT, STEP_PROCEDURE, STEP_UNIT, type ChoiceEvent } from './inbound-event.js';
import { VI } from './messages-vi.js';
import { foldText, normalizeText, textLength } from './normalize-text.js';
import { renderPrompt } from './render-prompt.js';
import { beginQuestions } from './survey-steps.js';
import { cancelTimers } from './timers.js';
import type { Turn } from './turn.js';
import { searchUnits, unitFromChoice } from './unit-search.js';

/** The steps before question 1: consent, then (open surveys) unit and procedure. */

const ACCEPT = new Set(['1', 'bat dau', 'bat dau khao sat', 'dong y', 'co', 'ok', 'yes', 'tham gia', 'co dong y', 'san sang']);
const DECLINE = new Set(['2', 'tu choi', 'khong', 'khong dong y', 'ko', 'k', 'no', 'khong tham gia']);
const PROCEDURE_MAX = 200;

const needsUnit = (turn: Turn) => !turn.s.unit && (turn.ctx.units?.length ?? 0) > 0;
// Invited citizens' procedure is known; a questionnaire with its own procedure question asks it there.
const needsProcedure = (turn: Turn, def: QuestionnaireDefinition) =>
  !turn.s.invitationId && !def.questions.some((q) => q.role === 'procedure');

function reprompt(turn: Turn, def: QuestionnaireDefinition, lead?: string): void {
  const prompt = renderPrompt(def, turn.s, lead ? { lead } : {});
  if (prompt) turn.send(prompt);
}

function stepAfter(turn: Turn, def: QuestionnaireDefinition, done: 'consent' | 'unit' | 'procedure', lead?: string): void {
  const s = turn.s;
  turn.change();
  if (done === 'consent' && needsUnit(turn)) {
    s.phase = 'unit';
    return reprompt(turn, def, lead);
  }
  if (done !== 'procedure' && needsProcedure(turn, def)) {
    s.phase = 'procedure';
    return reprompt(turn, def, lead);
  }
  beginQuestions(turn, def, lead);
}

function consent(turn: Turn, def: QuestionnaireDefinition, yes: boolean, messageId?: string): void {
  const s = turn.s;
  turn.send({ type: 'close_keyboard', questionCode: STEP_CONSENT, chosenLabel: yes ? VI.button.start : VI.button.decline, ...(messageId ? { messageId } : {}) });
  if (yes) return stepAfter(turn, def, 'consent');
  Object.assign(s, { phase: 'declined', endedAt: turn.at });
  turn.change();
  turn.effect({ type: 'opted_out', channel: s.channel, reason: 'declined', responseStarted: false, ...(s.invitationId ? { invitationId: s.invitationId } : {}) });
  cancelTimers(turn, s.responseId);
  turn.say(VI.declined);
}

function pickUnit(turn: Turn, def: QuestionnaireDefinition, unit: UnitRef, messageId?: string): void {
  Object.assign(turn.s, { unit, unitCandidates: [] });
  turn.send({ type: 'close_keyboard', questionCode: STEP_UNIT, chosenLabel: unit.name, ...(messageId ? { messageId } : {}) });
  stepAfter(turn, def, 'unit', VI.unitChosen(unit.name));
}

function searchUnit(turn: Turn, def: QuestionnaireDefinition, text: string): void {
  const s = turn.s;
  const n = /^\d{1,2}$/.test(foldText(text)) ? Number(foldText(text)) : 0;
  const byNumber = s.unitCandidates[n - 1];
  if (byNumber) return pickUnit(turn, def, byNumber);
  const found = searchUnits(turn.ctx.units ?? [], text);
  turn.change();
  if (found.kind === 'found') return pickUnit(turn, def, found.unit);
  if (found.kind === 'ambiguous') {
    s.unitCandidates = found.shown;
    const prompt = renderPrompt(def, s);
    if (prompt) turn.send({ ...prompt, text: `${VI.unitChoose(found.count, found.shown.length)}` });
    return;
  }
  s.unitCandidates = [];
  reprompt(turn, def, VI.unitNotFound(normalizeText(text).slice(0, 80)));
}

function setProcedure(turn: Turn, def: QuestionnaireDefinition, text: string | null, messageId?: string): void {
  turn.s.procedureText = text;
  turn.send({ type: 'close_keyboard', questionCode: STEP_PROCEDURE, chosenLabel: text ?? VI.button.skip, ...(messageId ? { messageId } : {}) });
  stepAfter(turn, def, 'procedure');
}

export function skipProcedure(turn: Turn, def: QuestionnaireDefinition, messageId?: string): void {
  setProcedure(turn, def, null, messageId);
}

export function setupText(turn: Turn, def: QuestionnaireDefinition, text: string): void {
  const phase = turn.s.phase;
  if (phase === 'consent') {
    const f = foldText(text);
    if (ACCEPT.has(f) || DECLINE.has(f)) return consent(turn, def, ACCEPT.has(f));
    turn.change();
    return reprompt(turn, def, VI.consentInvalid);
  }
  if (phase === 'unit') return searchUnit(turn, def, text);
  const clean = normalizeText(text);
  turn.change();
  if (!clean) return reprompt(turn, def, VI.procedureEmpty);
  if (textLength(clean) > PROCEDURE_MAX) return reprompt(turn, def, VI.invalid.textTooLong(textLength(clean), PROCEDURE_MAX));
  setProcedure(turn, def, clean);
}

/** A press on a setup step's keyboard; false when it does not belong to the current step (stale). */
export function setupChoice(turn: Turn, def: QuestionnaireDefinition, ev: ChoiceEvent): boolean {
  const s = turn.s;
  if (s.phase === 'consent' && ev.questionCode === STEP_CONSENT && (ev.value === 'yes' || ev.value === 'no')) {
    consent(turn, def, ev.value === 'yes', ev.messageId);
    return true;
  }
  if (s.phase === 'unit' && ev.questionCode === STEP_UNIT) {
    const unit = unitFromChoice(ev.value, s.unitCandidates, turn.ctx.units ?? []);
    if (!unit) return false;
    pickUnit(turn, def, unit, ev.messageId);
    return true;
  }
  if (s.phase === 'procedure' && ev.questionCode === STEP_PROCEDURE && ev.value === 'skip') {
    skipProcedure(turn, def, ev.messageId);
    return true;
  }
  return false;
}
