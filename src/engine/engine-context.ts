import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import type { Channel, QuestionnaireRef, UnitRef } from './common-schemas.js';

/**
 * Everything the engine needs from outside, passed in so it stays pure:
 * the clock, id generation, questionnaire definitions and the unit list.
 */
export type EngineContext = {
  now: Date;
  channel: Channel;
  /** Returns a fresh UUID (crypto.randomUUID in production, a counter in tests). */
  newId: () => string;
  /** Looks up a loaded questionnaire definition; undefined when unknown. */
  questionnaire: (ref: QuestionnaireRef) => QuestionnaireDefinition | undefined;
  /** Questionnaire of the open survey a "/start" typed as text begins (channels that pass it as text, e.g. Zalo). */
  openSurvey?: QuestionnaireRef;
  /** Active units open surveys can choose from (code + display name). */
  units?: readonly UnitRef[];
  /** A session idle longer than this expires (default 30 days). */
  idleLimitMs?: number;
  /** Delays after the last activity at which reminders are sent (default 1 and 3 days). */
  reminderDelaysMs?: readonly number[];
  /** Invalid replies to one question before it is recorded as unanswered (default 3). */
  maxAttempts?: number;
};

const DAY = 24 * 60 * 60 * 1000;

export type ResolvedSettings = { idleLimitMs: number; reminderDelaysMs: readonly number[]; maxAttempts: number };

export function settingsOf(ctx: EngineContext): ResolvedSettings {
  return {
    idleLimitMs: ctx.idleLimitMs ?? 30 * DAY,
    reminderDelaysMs: ctx.reminderDelaysMs ?? [1 * DAY, 3 * DAY],
    maxAttempts: Math.max(1, ctx.maxAttempts ?? 3),
  };
}
