
const NEEDS_RESPONSE = new Set<Effect['type']>(['answer_recorded', 'answer_removed', 'response_completed', 'response_abandoned', 'response_resumed']);

/**
 * Answers jobs run in parallel, so a batch that touches a response may be processed
 * before the batch that created it. Each such batch therefore carries the response's
 * creation too (idempotent: the worker skips an existing row), so no batch ever waits
 * on another.
 */
export function withResponseSeed(effects: Effect[], session: Session | null): Effect[] {
  if (!session?.responseStarted) return effects;
  if (effects.some((e) => e.type === 'response_started')) return effects;
  if (!effects.some((e) => NEEDS_RESPONSE.has(e.type) && 'responseId' in e && e.responseId === session.responseId)) return effects;
  const seed: Effect = { ...responseStartedEffect(session), at: session.createdAt };
  return [seed, ...effects];
}import { responseStartedEffect, type Effect, type Session } from '../engine/index.js';

