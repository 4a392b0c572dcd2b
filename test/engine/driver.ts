import { expect } from 'vitest';
import {
  decodeCallbackData,
  effectSchema,
  handleEvent,
  inboundEventSchema,
  outboundMessageSchema,
  sessionSchema,
  type Effect,
  type EngineContext,
  type EngineResult,
  type InboundEvent,
  type InvitationInfo,
  type OutboundMessage,
  type Session,
  type TextMessage,
  type UnitRef,
} from '../../src/engine/index.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { MINI } from './fixtures/definitions.js';

export const HOUR = 60 * 60 * 1000;
export const DAY = 24 * HOUR;
export const T0 = new Date('2025-03-03T08:00:00.000Z');

export const uuidFactory = () => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
};

export const INVITATION_ID = 'a5b1c2d3-0000-4000-8000-00000000abcd';
export function invitation(over: Partial<InvitationInfo> = {}, def: QuestionnaireDefinition = MINI): InboundEvent {
  return {
    type: 'start',
    start: {
      kind: 'invitation',
      invitation: {
        id: INVITATION_ID,
        token: 'tok_AbC123',
        unitCode: 'XA-TANPHONG',
        unitName: 'UBND xã Tân Phong',
        questionnaire: { code: def.code, version: def.version },
        procedureCode: '1.001234',
        status: 'usable',
        ...over,
      },
    },
  };
}
export const openStart = (unitCode?: string, def: QuestionnaireDefinition = MINI): InboundEvent => ({
  type: 'start',
  start: { kind: 'open', questionnaire: { code: def.code, version: def.version }, ...(unitCode ? { unitCode } : {}) },
});

export type ChatOptions = Partial<Omit<EngineContext, 'now' | 'questionnaire' | 'newId'>> & { definitions?: QuestionnaireDefinition[] };

/**
 * Drives the engine like a channel would: keeps the session, a clock and the transcript,
 * and checks every result against the schemas and the version/CAS contract.
 */
export class Chat {
  session: Session | null = null;
  now = new Date(T0);
  readonly messages: OutboundMessage[] = [];
  readonly effects: Effect[] = [];
  last!: EngineResult;
  private messageCounter = 0;
  readonly ctx: () => EngineContext;

  constructor(opts: ChatOptions = {}) {
    const defs = opts.definitions ?? [MINI];
    const newId = uuidFactory();
    this.ctx = () => ({
      channel: 'telegram',
      ...opts,
      now: this.now,
      newId,
      questionnaire: (ref) => defs.find((d) => d.code === ref.code && d.version === ref.version),
    });
  }

  send(event: InboundEvent): EngineResult {
    expect(inboundEventSchema.safeParse(event).success).toBe(true);
    const before = this.session;
    const frozen = before ? JSON.stringify(before) : null;
    const result = handleEvent(before, event, this.ctx());
    if (frozen) expect(JSON.stringify(before)).toBe(frozen); // the input is never mutated
    if (result.session) {
      sessionSchema.parse(result.session);
      if (result.session !== before) expect(result.session.version).toBe((before?.version ?? 0) + 1);
    }
    for (const e of result.effects) effectSchema.parse(e);
    for (const m of result.messages) {
      outboundMessageSchema.parse(m);
      if (m.type === 'text') {
        expect(m.text).toBe(m.text.normalize('NFC'));
        for (const o of m.options ?? []) expect(Buffer.byteLength(o.data, 'utf8')).toBeLessThanOrEqual(64);
      }
    }
    this.session = result.session;
    this.messages.push(...result.messages);
    this.effects.push(...result.effects);
    this.last = result;
    return result;
  }

  text(text: string): EngineResult {
    return this.send({ type: 'text', text });
  }

  /** Presses the button with this label or number on the latest keyboard (as a Telegram callback). */
  press(labelOrNumber: string, from: TextMessage = this.prompt()): EngineResult {
    const option = from.options?.find((o) => o.label === labelOrNumber || o.number === labelOrNumber);
    if (!option) throw new Error(`no option ${labelOrNumber} in: ${JSON.stringify(from.options?.map((o) => o.label))}`);
    const choice = decodeCallbackData(option.data, `msg-${++this.messageCounter}`);
    if (!choice) throw new Error(`undecodable ${option.data}`);
    return this.send(choice);
  }

  wait(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }

  /** The latest message with text (the current prompt, usually). */
  prompt(): TextMessage {
    const m = [...this.messages].reverse().find((x): x is TextMessage => x.type === 'text');
    if (!m) throw new Error('no text message yet');
    return m;
  }

  lastTexts(): string {
    return this.last.messages.flatMap((m) => (m.type === 'text' ? [m.text] : [])).join('\n---\n');
  }

  effectsOf<T extends Effect['type']>(type: T, effects: Effect[] = this.effects): Extract<Effect, { type: T }>[] {
    return effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);
  }

  /** Start an invited survey and accept consent. */
  begin(event: InboundEvent = invitation()): EngineResult {
    this.send(event);
    return this.press('Bắt đầu');
  }
}

export const unitList = (units: UnitRef[]) => ({ units });
