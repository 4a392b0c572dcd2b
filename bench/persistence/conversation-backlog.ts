import { ConversationService, latestBuiltinQuestionnaire, queueHandOff, type OutboxHandOff, type RunningApp } from '../../src/index.js';
import { citizenInputs } from '../lib/citizen-inputs.js';
import { benchUnits } from '../lib/units.js';

type HeldOutbox = Parameters<OutboxHandOff>;

/**
 * Builds an answers backlog the way the webhook path makes one, through the product's
 * `ConversationService`: citizens answer whole surveys concurrently while a hand-off of
 * the benchmark's own holds every outbox back; `release()` then gives them all at once to
 * the product's queue hand-off, so its group commit makes jobs as large as many
 * concurrent webhook requests would. Only what the answers queue receives is handed over:
 * replies and reminder timers are dropped (this benchmark measures the answers worker).
 */
export class ConversationBacklog {
  private held: HeldOutbox[] = [];
  private readonly service: ConversationService;
  private readonly toQueues: OutboxHandOff;
  private readonly definition = latestBuiltinQuestionnaire('sipas-2017');

  constructor(app: RunningApp) {
    this.toQueues = queueHandOff(app.ctx);
    this.service = new ConversationService(app.ctx, {
      handOff: async (key, outbox) => {
        const effects = outbox.effects.filter((e) => e.type !== 'schedule_reminder' && e.type !== 'cancel_reminders');
        this.held.push([key, { ...outbox, effects, messages: [] }]);
      },
    });
  }

  init(): Promise<void> {
    return this.service.init();
  }

  /** Open surveys at the benchmark's units (`/start u_<unit>`), all citizens at once; returns the answers they gave. */
  async converse(citizens: number, firstChat: number): Promise<number> {
    const units = benchUnits();
    let answers = 0;
    await Promise.all(
      Array.from({ length: citizens }, async (_, i) => {
        const userRef = String(800_000_000 + firstChat + i);
        const inputs = citizenInputs(this.definition, i, `u_${units[i % units.length]!.code}`);
        // Start and consent record no answer; every other input answers one question.
        answers += inputs.length - 2;
        for (const [k, input] of inputs.entries()) await this.service.handle({ channel: 'telegram', userRef, eventId: `${userRef}-${k}`, input });
      }),
    );
    return answers;
  }

  /** Hands every held outbox to the queues at once, in the order the conversations wrote them; returns how many. */
  async release(): Promise<number> {
    const held = this.held;
    this.held = [];
    await Promise.all(held.map(([key, outbox]) => this.toQueues(key, outbox)));
    return held.length;
  }
}
