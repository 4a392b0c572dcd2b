import type { Session } from './session-schema.js';
import type { Turn } from './turn.js';

const MIN_DELAY_MS = 60_000;

/**
 * One timer chain per active session: the next reminder while reminders remain,
 * then an idle-expiry check. Times count from the last citizen activity, so a
 * timer that fires early (the citizen answered meanwhile) simply re-schedules.
 */
export function nextTimerAt(session: Session, turn: Turn): Date {
  const { reminderDelaysMs, idleLimitMs } = turn.settings;
  const last = Date.parse(session.lastActivityAt);
  const delay = session.remindersSent < reminderDelaysMs.length ? reminderDelaysMs[session.remindersSent]! : idleLimitMs;
  return new Date(Math.max(last + delay, turn.ctx.now.getTime() + MIN_DELAY_MS));
}

export function scheduleTimer(turn: Turn): void {
  const s = turn.s;
  turn.effect({
    type: 'schedule_reminder',
    responseId: s.responseId,
    // Unique per scheduling turn (a replay of the same event dedupes); BullMQ rejects ":" in custom ids.
    jobId: `timer-${s.responseId}-${turn.seq}-${turn.ctx.now.getTime()}`,
    runAt: nextTimerAt(s, turn).toISOString(),
  });
}

export function cancelTimers(turn: Turn, responseId: string): void {
  turn.effect({ type: 'cancel_reminders', responseId });
}

export function isIdle(session: Session, turn: Turn): boolean {
  return turn.ctx.now.getTime() - Date.parse(session.lastActivityAt) >= turn.settings.idleLimitMs;
}
