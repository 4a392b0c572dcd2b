import type { QuestionnaireRef, UnitRef } from './common-schemas.js';
import type { InvitationInfo, StartContext } from './inbound-event.js';
import { VI } from './messages-vi.js';
import { foldText } from './normalize-text.js';
import { renderPrompt } from './render-prompt.js';
import { showCurrent } from './show-current.js';
import { findQuestion, firstPending } from './question-flow.js';
import { isActive, type Session } from './session-schema.js';
import { advance } from './survey-steps.js';
import { cancelTimers, scheduleTimer } from './timers.js';
import type { Turn } from './turn.js';

/** A message about a start that does not start anything; an active survey is shown again after it. */
function refuse(turn: Turn, text: string): void {
  if (turn.session && isActive(turn.session)) showCurrent(turn, `${text}\n\n${VI.stillInProgress}`);
  else turn.say(text);
}

type NewSession = { questionnaire: QuestionnaireRef; invitation?: InvitationInfo; unit?: UnitRef };

function create(turn: Turn, init: NewSession): void {
  const def = turn.ctx.questionnaire(init.questionnaire);
  if (!def) return refuse(turn, VI.unavailable);
  const old = turn.session;
  if (old && isActive(old)) {
    // A new survey replaces the unfinished one; its response (if any) is closed, not left dangling.
    if (old.responseStarted) {
      turn.effect({ type: 'response_abandoned', responseId: old.responseId, reason: 'replaced', ...(old.invitationId ? { invitationId: old.invitationId } : {}) });
    }
    cancelTimers(turn, old.responseId);
  }
  const session: Session = {
    schema: 1,
    version: turn.seq,
    responseId: turn.ctx.newId(),
    responseStarted: false,
    channel: turn.ctx.channel,
    questionnaire: { code: def.code, version: def.version },
    invitationId: init.invitation?.id ?? null,
    unit: init.unit ?? null,
    procedureCode: init.invitation?.procedureCode ?? null,
    procedureText: null,
    phase: 'consent',
    current: null,
    answers: {},
    attempts: 0,
    multiDraft: [],
    unitCandidates: [],
    remindersSent: 0,
    createdAt: turn.at,
    lastActivityAt: turn.at,
    endedAt: null,
  };
  turn.session = session;
  turn.change();
  if (init.invitation) turn.effect({ type: 'invitation_opened', invitationId: init.invitation.id });
  scheduleTimer(turn);
  const lead = old?.responseStarted && isActive(old) ? VI.replaced : undefined;
  const prompt = renderPrompt(def, session, lead ? { lead } : {});
  if (prompt) turn.send(prompt);
}

/** Stopped or declined recently (within the idle limit): a new start reopens that survey where it was left. */
export function reopenable(turn: Turn, s: Session | null, start: StartContext | 'typed'): boolean {
  if (!s || (s.phase !== 'opted_out' && s.phase !== 'declined') || !s.endedAt) return false;
  if (turn.ctx.now.getTime() - Date.parse(s.endedAt) >= turn.settings.idleLimitMs) return false;
  if (start === 'typed') return true;
  if (start.kind === 'invitation') return start.invitation.id === s.invitationId;
  return start.kind === 'open' && (s.responseStarted || s.invitationId !== null);
}

export function reopen(turn: Turn): void {
  const s = turn.s;
  const def = turn.definition();
  if (!def) return refuse(turn, VI.unavailable);
  const current = findQuestion(def, s.current) ?? firstPending(def, s.answers);
  Object.assign(s, { phase: s.responseStarted ? 'question' : 'consent', endedAt: null, attempts: 0, current: s.responseStarted ? (current?.code ?? null) : null });
  turn.effect({ type: 'response_resumed', responseId: s.responseId, responseStarted: s.responseStarted, ...(s.invitationId ? { invitationId: s.invitationId } : {}) });
  turn.change();
  scheduleTimer(turn);
  if (s.phase === 'question' && !current) return advance(turn, def, VI.resume);
  showCurrent(turn, VI.resume);
}

export function handleStart(turn: Turn, start: StartContext): void {
  const s = turn.session;
  const active = s !== null && isActive(s);
  if (reopenable(turn, s, start)) return reopen(turn);
  switch (start.kind) {
    case 'unknown_invitation':
      return refuse(turn, VI.invitationUnknown);
    case 'already_counted':
      return refuse(turn, VI.alreadyCounted(start.unitName));
    case 'invitation': {
      const inv = start.invitation;
      if (active && s.invitationId === inv.id) return showCurrent(turn, VI.resume);
      // The engine's own memory wins over a lagging invitation status: one response per invitation.
      if (s && s.invitationId === inv.id && (s.responseStarted || s.phase === 'completed')) return refuse(turn, VI.invitationUsed);
      if (inv.status === 'expired') return refuse(turn, VI.invitationExpired);
      if (inv.status === 'cancelled') return refuse(turn, VI.invitationCancelled);
      if (inv.status === 'used') return refuse(turn, VI.invitationUsed);
      return create(turn, { questionnaire: inv.questionnaire, invitation: inv, unit: { code: inv.unitCode, name: inv.unitName } });
    }
    case 'open': {
      // Resume anything under way; only a not-yet-started open survey is replaced (e.g. another unit's QR).
      if (active && (s.responseStarted || s.invitationId)) return showCurrent(turn, VI.resume);
      const wanted = start.unitCode ? foldText(start.unitCode) : null;
      const unit = wanted ? turn.ctx.units?.find((u) => foldText(u.code) === wanted) : undefined;
      return create(turn, { questionnaire: start.questionnaire, ...(unit ? { unit } : {}) });
    }
  }
}
