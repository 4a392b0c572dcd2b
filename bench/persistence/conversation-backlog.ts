import { ConversationService, latestBuiltinQuestionnaire, outboxStreamKey, type RunningApp } from '../../src/index.js';
import { citizenInputs } from '../lib/citizen-inputs.js';
import { benchUnits } from '../lib/units.js';

/**
 * Builds an answers backlog the way the webhook path makes one, through the product's
 * `ConversationService`: citizens answer whole surveys concurrently; their outboxes go to
 * the outbox stream, and the worker process's relay hands them to the queues in batches
 * as it reads them, while the benchmark holds the answers queue paused. `release()` waits
 * until the relay has handed everything over, then drops the replies.
 */
export class ConversationBacklog {
  private readonly service: ConversationService;
  private readonly definition = latestBuiltinQuestionnaire('sipas-2017');

  constructor(private readonly app: RunningApp) {
    this.service = new ConversationService(app.ctx);
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

  /** Waits until the relay has turned every outbox into jobs; returns the answers jobs waiting. */
  async release(): Promise<number> {
    const { redis, config, queues } = this.app.ctx;
    const stream = outboxStreamKey(config.redisPrefix);
    while ((await redis.xlen(stream)) > 0) await new Promise((r) => setTimeout(r, 50));
    // Replies leave at the platform's rate (an hour for a backlog this size): dropped, so the measured drain is the answers worker's alone.
    await queues.queue('outbound-telegram').obliterate({ force: true });
    return queues.queue('answers').getWaitingCount();
  }
}
