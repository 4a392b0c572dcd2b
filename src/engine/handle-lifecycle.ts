import type { InboundEvent } from './inbound-event.js';
import { VI } from './messages-vi.js';
import { findQuestion } from './question-flow.js';
import { isActive } from './session-schema.js';
import { leaveQuestion } from './survey-steps.js';
import { showCurrent } from './show-current.js';
import { cancelTimers, isIdle, scheduleTimer } from './timers.js';
import type { Turn } from './turn.js';

/** Idle past the limit: the response is abandoned; `notify` when the citizen is the one writing. */
export function expire(turn: Turn, notify: boolean): void {
  const s = turn.s;
  if (s.responseStarted) {
    turn.effect({ type: 'response_abandoned', responseId: s.responseId, reason: 'idle', ...(s.invitationId ? { invitationId: s.invitationId } : {}) });
  }
  cancelTimers(turn, s.responseId);
  Object.assign(s, { phase: 'expired', current: null, endedAt: turn.at, multiDraft: [], unitCandidates: [] });
  turn.change(false);
  if (notify) turn.say(VI.expired);
}

/** /stop: opt out of this survey and its reminders, in any state. */
export function stop(turn: Turn): void {
  const s = turn.session;
  if (!s || !isActive(s)) {
    turn.effect({ type: 'opted_out', channel: turn.ctx.channel, reason: 'stop', responseStarted: false });
    turn.say(VI.stopNoSurvey);
    return;
  }
  const def = turn.definition();
  if (def && findQuestion(def, s.current)) leaveQuestion(turn, def);
  turn.effect({
    type: 'opted_out',
    channel: s.channel,
    reason: 'stop',
    responseId: s.responseId,
    responseStarted: s.responseStarted,
    ...(s.invitationId ? { invitationId: s.invitationId } : {}),
  });
  cancelTimers(turn, s.responseId);
  // `current` is kept: a citizen who comes back (see reopen) continues where they stopped.
  Object.assign(s, { phase: 'opted_out', endedAt: turn.at, multiDraft: [], unitCandidates: [] });
  turn.change();
  turn.say(VI.stopGoodbye);
}

/** Reply to a message when no survey is under way. */
export function endedReply(turn: Turn): void {
  const phase = turn.session?.phase;
  const text =
    phase === 'completed' ? VI.completed : phase === 'expired' ? VI.expired : phase === 'opted_out' || phase === 'declined' ? VI.optedOutInfo : VI.greeting;
  turn.say(text);
}

export function help(turn: Turn): void {
  if (turn.session && isActive(turn.session)) return showCurrent(turn, VI.help);
  turn.say(VI.help);
  endedReply(turn);
}

/** A shared phone number is not kept (answers are anonymous); linking it to an invitation is the channel's job. */
export function contact(turn: Turn): void {
  if (turn.session && isActive(turn.session)) return showCurrent(turn, VI.contactThanks);
  turn.say(VI.contactThanks);
  endedReply(turn);
}

/** A reminder / expiry timer fired. Stale timers (other response, ended session) do nothing. */
export function timer(turn: Turn, ev: Extract<InboundEvent, { type: 'timer' }>): void {
  const s = turn.session;
  if (!s || !isActive(s) || s.responseId !== ev.responseId) return;
  if (isIdle(s, turn)) return expire(turn, false);
  const delays = turn.settings.reminderDelaysMs;
  const due = s.remindersSent < delays.length && turn.ctx.now.getTime() - Date.parse(s.lastActivityAt) >= delays[s.remindersSent]!;
  if (due) {
    s.remindersSent += 1;
    showCurrent(turn, VI.reminder, false);
  }
  scheduleTimer(turn);
}
