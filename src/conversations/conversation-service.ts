import { randomUUID } from 'node:crypto';
import type { Channel } from '../engine/common-schemas.js';
import type { EngineContext } from '../engine/engine-context.js';
import type { InboundEvent } from '../engine/inbound-event.js';
import { resolveStart } from '../invitations/resolve-start.js';
import { DEFAULT_QUESTIONNAIRE_CODE } from '../invitations/resolve-questionnaire.js';
import { answersBatcherFor, type AnswersBatcher } from './answers-batcher.js';
import { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import type { AppContext } from '../core/app-context.js';
import { applyInbound, type ApplyResult } from './apply-inbound.js';
import { flushOutbox } from './hand-off-outbox.js';
import type { Outbox } from './session-envelope.js';
import { SessionStore, type SessionKey } from './session-store.js';
import type { ChannelInput } from './channel-input.js';
import { rebuildFromDatabase } from './rebuild-from-database.js';
import { UnitDirectory } from './unit-directory.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type ConversationRequest = { channel: Channel; userRef: string; eventId: string; input: ChannelInput };

/**
 * The one entry point every channel (Telegram, Zalo, simulator, reminder timers) uses
 * to advance a citizen's conversation.
 */
export class ConversationService {
  readonly catalog: QuestionnaireCatalog;
  readonly units: UnitDirectory;
  readonly store: SessionStore;
  /** One per process, so that concurrent events share answers jobs (group commit). */
  private readonly answers: AnswersBatcher;

  constructor(private readonly ctx: AppContext) {
    this.answers = answersBatcherFor(ctx.queues);
    this.catalog = new QuestionnaireCatalog(ctx.db);
    this.units = new UnitDirectory(ctx.db);
    // Sessions outlive the idle limit by a week so an expiry can still be told to the citizen.
    this.store = new SessionStore(ctx.redis, ctx.config.redisPrefix, (ctx.config.sessionIdleDays + 7) * DAY);
  }

  /** The questionnaire a citizen gets when they write without an invitation. */
  private openSurvey: { code: string; version: number } | undefined;

  async init(): Promise<void> {
    await Promise.all([this.catalog.loadAll(), this.units.refresh()]);
    const latest = await this.catalog.latest(DEFAULT_QUESTIONNAIRE_CODE);
    this.openSurvey = latest ? { code: latest.code, version: latest.version } : undefined;
  }

  private engineContext(channel: Channel, units: EngineContext['units']): EngineContext {
    const { config } = this.ctx;
    return {
      now: this.ctx.now(),
      channel,
      newId: randomUUID,
      questionnaire: (ref) => this.catalog.get(ref.code, ref.version)?.definition,
      units,
      ...(this.openSurvey ? { openSurvey: this.openSurvey } : {}),
      idleLimitMs: config.sessionIdleDays * DAY,
      reminderDelaysMs: config.reminderDelaysHours.map((h) => h * HOUR),
    };
  }

  private async toEvent(input: ChannelInput): Promise<InboundEvent> {
    if (input.type !== 'start') return input;
    const start = await resolveStart(
      this.ctx.db,
      async () => (await this.catalog.latest(DEFAULT_QUESTIONNAIRE_CODE)) ?? undefined,
      { ...(input.payload ? { payload: input.payload } : {}), ...(input.shortCode ? { shortCode: input.shortCode } : {}) },
      this.ctx.now(),
    );
    // Make sure the engine can see the questionnaire the invitation points at.
    if (start.kind !== 'unknown_invitation') {
      const ref = start.kind === 'invitation' ? start.invitation.questionnaire : start.questionnaire;
      await this.catalog.fetch(ref.code, ref.version);
    }
    return { type: 'start', start };
  }

  /** Hands a written outbox to the queues (answers batch, replies, reminders); the benchmark measures the path without it. */
  protected handOff(key: SessionKey, outbox: Outbox): Promise<void> {
    const { ctx } = this;
    return flushOutbox({ queues: ctx.queues, answers: this.answers, redis: ctx.redis, prefix: ctx.config.redisPrefix, now: ctx.now }, key, outbox);
  }

  async handle(req: ConversationRequest): Promise<ApplyResult> {
    const [event, units] = await Promise.all([this.toEvent(req.input), this.units.list()]);
    const { ctx } = this;
    return applyInbound(
      {
        store: this.store,
        engineContext: (channel) => this.engineContext(channel, units),
        flush: (key, outbox) => this.handOff(key, outbox),
        rebuild: (key, engineCtx) => rebuildFromDatabase(ctx.db, this.catalog, key, engineCtx),
      },
      { channel: req.channel, userRef: req.userRef, eventId: req.eventId, event },
    );
  }
}
