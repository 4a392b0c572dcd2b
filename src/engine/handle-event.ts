import { decodeCallbackData } from './callback-data.js';
import { detectCommand } from './commands.js';
import type { EngineContext } from './engine-context.js';
import { contact, endedReply, expire, help, stop, timer } from './handle-lifecycle.js';
import { answerChoice, answerText, goBack, skipQuestion } from './handle-question.js';
import { setupChoice, setupText, skipProcedure } from './handle-setup.js';
import { handleStart, reopen, reopenable } from './handle-start.js';
import { inboundEventSchema, type ChoiceEvent, type InboundEvent } from './inbound-event.js';
import { VI } from './messages-vi.js';
import { findQuestion } from './question-flow.js';
import { renderPrompt } from './render-prompt.js';
import { isActive, type Session } from './session-schema.js';
import { showCurrent } from './show-current.js';
import { answerLabel } from './answer-label.js';
import { isIdle } from './timers.js';
import { Turn, type EngineResult } from './turn.js';

/** The active session and its questionnaire, or null after replying that nothing is under way. */
function activeContext(turn: Turn) {
  const s = turn.session;
  if (!s || !isActive(s)) return null;
  const def = turn.definition();
  if (!def) {
    turn.say(VI.unavailable);
    return null;
  }
  return { s, def };
}

/** A press on a keyboard that is not the current prompt's: answer politely, change nothing. */
function stale(turn: Turn, ev: ChoiceEvent): void {
  const active = activeContext(turn);
  const def = active?.def ?? turn.definition();
  const q = def && findQuestion(def, ev.questionCode);
  const recorded = q && turn.session?.answers[q.code];
  turn.send({ type: 'close_keyboard', questionCode: ev.questionCode, chosenLabel: q && recorded ? answerLabel(q, recorded) : null, ...(ev.messageId ? { messageId: ev.messageId } : {}) });
  const prompt = active && renderPrompt(active.def, active.s, { lead: VI.stale });
  if (prompt) turn.send(prompt);
  else turn.say(turn.session ? VI.staleEnded : VI.greeting);
}

function onChoice(turn: Turn, ev: ChoiceEvent): void {
  const active = activeContext(turn);
  if (!active) return stale(turn, ev);
  const { s, def } = active;
  if (s.phase === 'question' && ev.questionCode === s.current) return answerChoice(turn, def, ev);
  if (s.phase !== 'question' && setupChoice(turn, def, ev)) return;
  stale(turn, ev);
}

function onBack(turn: Turn): void {
  const active = activeContext(turn);
  if (!active) return endedReply(turn);
  if (active.s.phase === 'question') return goBack(turn, active.def);
  showCurrent(turn, VI.backNotAvailable);
}

function onSkip(turn: Turn): void {
  const active = activeContext(turn);
  if (!active) return endedReply(turn);
  if (active.s.phase === 'question') return skipQuestion(turn, active.def);
  if (active.s.phase === 'procedure') return skipProcedure(turn, active.def);
  setupText(turn, active.def, 'bỏ qua');
}

/** "/start" typed as text (Zalo, or a channel that did not resolve it): resume, reopen, or start the open survey. */
function typedStart(turn: Turn): void {
  const s = turn.session;
  if (s && isActive(s)) return showCurrent(turn, VI.resume);
  if (reopenable(turn, s, 'typed')) return reopen(turn);
  if (turn.ctx.openSurvey) return handleStart(turn, { kind: 'open', questionnaire: turn.ctx.openSurvey });
  endedReply(turn);
}

function onText(turn: Turn, text: string): void {
  switch (detectCommand(text)) {
    case 'stop':
      return stop(turn);
    case 'help':
    case 'unknown':
      return help(turn);
    case 'back':
      return onBack(turn);
    case 'skip':
      return onSkip(turn);
    case 'start':
      return typedStart(turn);
    case null:
      break;
  }
  // Zalo button payloads arrive as text.
  const decoded = decodeCallbackData(text);
  if (decoded) return onChoice(turn, decoded);
  const active = activeContext(turn);
  if (!active) return endedReply(turn);
  if (active.s.phase === 'question') answerText(turn, active.def, text);
  else setupText(turn, active.def, text);
}

function route(turn: Turn, ev: InboundEvent): void {
  switch (ev.type) {
    case 'start':
      return handleStart(turn, ev.start);
    case 'stop':
      return stop(turn);
    case 'help':
      return help(turn);
    case 'contact':
      return contact(turn);
    case 'back':
      return onBack(turn);
    case 'choice':
      return onChoice(turn, ev);
    case 'text':
      return onText(turn, ev.text);
    case 'timer':
      return timer(turn, ev);
  }
}

/**
 * The conversation engine: (session | null, event, context) → { session, messages, effects }.
 * Pure: no I/O, the clock and ids come from `ctx`, the given session is never mutated.
 * Write `session` back when its version differs from the one read (compare-and-set on
 * that version), then deliver `messages` and enqueue `effects` in order.
 */
export function handleEvent(session: Session | null, event: InboundEvent, ctx: EngineContext): EngineResult {
  const ev = inboundEventSchema.parse(event);
  const turn = new Turn(session, ctx);
  const s = turn.session;
  if (ev.type !== 'timer' && s && isActive(s) && isIdle(s, turn)) {
    expire(turn, true);
    // The expiry notice answers anything but a new start or an explicit stop.
    if (ev.type !== 'start' && ev.type !== 'stop') return turn.finish();
  }
  route(turn, ev);
  return turn.finish();
}
