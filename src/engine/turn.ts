import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import type { Effect } from './effects.js';
import { settingsOf, type EngineContext, type ResolvedSettings } from './engine-context.js';
import type { OutboundMessage, TextMessage } from './outbound-message.js';
import type { Session } from './session-schema.js';

export type EngineResult = {
  /** The new session (same object as given when nothing changed); null when there is none. */
  session: Session | null;
  messages: OutboundMessage[];
  effects: Effect[];
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Accumulates one event's outcome. Handlers mutate `session` (a deep copy), so the
 * caller's object is never touched; `finish` stamps the version only if something changed.
 */
export class Turn {
  readonly at: string;
  /** Version the session gets if this turn changes it; also the seq of answers recorded now. */
  readonly seq: number;
  readonly settings: ResolvedSettings;
  session: Session | null;
  readonly messages: OutboundMessage[] = [];
  readonly effects: Effect[] = [];
  private changed = false;

  constructor(
    private readonly original: Session | null,
    readonly ctx: EngineContext,
  ) {
    this.at = ctx.now.toISOString();
    this.seq = (original?.version ?? 0) + 1;
    this.settings = settingsOf(ctx);
    this.session = original ? cloneSession(original) : null;
  }

  /** The active session (handlers call this only where one exists). */
  get s(): Session {
    if (!this.session) throw new Error('no session in this turn');
    return this.session;
  }

  definition(): QuestionnaireDefinition | undefined {
    return this.session ? this.ctx.questionnaire(this.session.questionnaire) : undefined;
  }

  /** Marks the session changed; `activity` also moves lastActivityAt (user events, not timers). */
  change(activity = true): void {
    this.changed = true;
    if (activity && this.session) this.session.lastActivityAt = this.at;
  }

  say(text: string, extra: Omit<TextMessage, 'type' | 'text'> = {}): void {
    this.messages.push({ type: 'text', text: text.normalize('NFC'), ...extra });
  }

  send(message: OutboundMessage): void {
    this.messages.push(message.type === 'text' ? { ...message, text: message.text.normalize('NFC') } : message);
  }

  effect(e: DistributiveOmit<Effect, 'at'>): void {
    this.effects.push({ ...e, at: this.at } as Effect);
  }

  finish(): EngineResult {
    const session = this.changed && this.session ? { ...this.session, version: this.seq } : this.changed ? null : this.original;
    return { session, messages: this.messages, effects: this.effects };
  }
}

/**
 * A deep copy of a session, field by field: every event copies one, and this is several
 * times cheaper than structuredClone. Sessions are plain data of a fixed shape
 * (session-schema.ts); the only nested arrays are multi-choice values and drafts.
 */
function cloneSession(s: Session): Session {
  const answers: Session['answers'] = {};
  for (const [code, a] of Object.entries(s.answers)) answers[code] = Array.isArray(a.value) ? { ...a, value: [...a.value] } : { ...a };
  return {
    ...s,
    questionnaire: { ...s.questionnaire },
    unit: s.unit ? { ...s.unit } : null,
    answers,
    multiDraft: [...s.multiDraft],
    unitCandidates: s.unitCandidates.map((u) => ({ ...u })),
  };
}
