import { randomUUID } from 'node:crypto';
import type { AppContext } from '../core/app-context.js';
import { foldText, type Channel, type EngineContext, type InboundEvent, type UnitRef } from '../engine/index.js';
import { resolveStart } from '../invitations/resolve-start.js';
import { DEFAULT_QUESTIONNAIRE_CODE, QuestionnaireNotFoundError, type QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { countMarkOf, isCounted } from '../responses/counted-marks.js';
import { RoundCalendar } from '../rounds/round-calendar.js';
import type { ChatLanes } from '../outbound/chat-lanes.js';
import { laneChannelOf, laneFor } from '../outbound/outbound-lanes.js';
import { outboundJobs } from '../queues/job-catalog.js';
import { applyInbound, type ApplyDeps, type ApplyResult } from './apply-inbound.js';
import type { ChannelInput } from './channel-input.js';
import { handOverOutboxes } from './hand-off-outbox.js';
import type { OutboxEntry } from './outbox-stream.js';
import { rebuildFromDatabase } from './rebuild-from-database.js';
import { SessionStore } from './session-store.js';
import { UnitDirectory } from './unit-directory.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export type ConversationRequest = { channel: Channel; userRef: string; eventId: string; input: ChannelInput };

/** The queues' side of the outbox stream: what the workers' relay does with a batch of outboxes. */
export function outboxHandOver(ctx: AppContext, rounds: RoundCalendar = new RoundCalendar(ctx.db)): (entries: OutboxEntry[]) => Promise<void> {
  const deps = { queues: ctx.queues, redis: ctx.redis, prefix: ctx.config.redisPrefix, now: ctx.now, pseudonymKey: ctx.config.pseudonymKey, periodOf: rounds.periodOf.bind(rounds) };
  return (entries) => handOverOutboxes(deps, entries);
}

/** Numbers an outbox's replies in their chat's lane, when the channel keeps per-chat order. */
function replyLaneFor(ctx: AppContext): ApplyDeps['replyLane'] {
  const lanes = new Map<string, ChatLanes>();
  for (const def of Object.values(outboundJobs)) {
    const channel = laneChannelOf(def.queue);
    if (channel) lanes.set(def.queue, laneFor(ctx.redis, ctx.config.redisPrefix, channel));
  }
  return (key, outboxId) => {
    const def = outboundJobs[key.channel as Channel];
    const lane = lanes.get(def.queue);
    return lane ? { laneKey: lane.laneKey(key.userRef), jobId: def.jobId({ batchId: outboxId, userRef: key.userRef, messages: [], kind: 'reply' }) } : undefined;
  };
}

/**
 * The one entry point every channel (Telegram, Zalo, simulator, reminder timers) uses
 * to advance a citizen's conversation: resolve the start, load the session, run the
 * engine, commit the session with its outbox (the workers' relay hands it to the queues).
 */
export class ConversationService {
  readonly catalog: QuestionnaireCatalog;
  readonly units: UnitDirectory;
  readonly store: SessionStore;
  /** The round open for a unit, for one-counted-response-per-period (see rounds/round-calendar.ts). */
  readonly rounds: RoundCalendar;
  private readonly replyLane: ApplyDeps['replyLane'];

  constructor(private readonly ctx: AppContext) {
    this.catalog = ctx.catalog;
    this.rounds = new RoundCalendar(ctx.db);
    this.replyLane = replyLaneFor(ctx);
    this.units = new UnitDirectory(ctx.db);
    // Sessions outlive the idle limit by a week so an expiry can still be told to the citizen.
    this.store = new SessionStore(ctx.redis, ctx.config.redisPrefix, (ctx.config.sessionIdleDays + 7) * DAY);
  }

  /** The questionnaire a citizen gets when they write without an invitation. */
  private openSurvey: { code: string; version: number } | undefined;

  async init(): Promise<void> {
    await Promise.all([this.catalog.loadAll(), this.units.refresh(), this.rounds.refresh()]);
    const open = await this.openQuestionnaire();
    this.openSurvey = open ? { code: open.code, version: open.version } : undefined;
  }

  private async openQuestionnaire() {
    try {
      return await this.catalog.resolve(DEFAULT_QUESTIONNAIRE_CODE, 'start');
    } catch (err) {
      if (err instanceof QuestionnaireNotFoundError) return undefined;
      throw err;
    }
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

  /** The engine's event for a request, and the units it is decided against (reloaded when a QR names a new unit). */
  private async toEvent(req: ConversationRequest): Promise<{ event: InboundEvent; units: readonly UnitRef[] }> {
    const { input } = req;
    if (input.type !== 'start') return { event: input, units: await this.units.list() };
    const start = await resolveStart(
      { db: this.ctx.db, sql: this.ctx.sql, catalog: this.catalog, openQuestionnaire: () => this.openQuestionnaire() },
      { ...(input.payload ? { payload: input.payload } : {}), ...(input.shortCode ? { shortCode: input.shortCode } : {}) },
      this.ctx.now(),
    );
    const units = await this.units.listWith(start.kind === 'open' ? start.unitCode : undefined, foldText);
    // One counted response per person, unit and period: a unit's QR does not start a second one.
    if (start.kind === 'open' && start.unitCode) {
      const wanted = foldText(start.unitCode);
      const unit = units.find((u) => foldText(u.code) === wanted);
      if (unit && (await isCounted(this.ctx.db, countMarkOf(this.ctx.config.pseudonymKey, req, unit.code, await this.rounds.periodOf(unit.code, this.ctx.now()))))) {
        return { event: { type: 'start', start: { kind: 'already_counted', unitName: unit.name } }, units };
      }
    }
    return { event: { type: 'start', start }, units };
  }

  async handle(req: ConversationRequest): Promise<ApplyResult> {
    const { event, units } = await this.toEvent(req);
    const { ctx } = this;
    return applyInbound(
      {
        store: this.store,
        engineContext: (channel) => this.engineContext(channel, units),
        replyLane: this.replyLane,
        rebuild: (key, engineCtx) => rebuildFromDatabase(ctx.db, this.catalog, key, engineCtx),
      },
      { channel: req.channel, userRef: req.userRef, eventId: req.eventId, event },
    );
  }
}
