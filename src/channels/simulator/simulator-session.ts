import { outboundMessageSchema, type OutboundMessage } from '../../engine/index.js';
import { randomBytes } from 'node:crypto';
import type { ConversationService } from '../../conversations/conversation-service.js';
import type { ChannelInput } from '../../conversations/channel-input.js';
import { simulatorInboxKey } from './deliver-simulator.js';
import type { AppContext } from '../../core/app-context.js';

/**
 * A simulated citizen on the `simulator` channel: inputs go through the same
 * conversation service, queues and workers as Telegram's; replies come back through
 * the simulator outbound queue into a Redis list.
 */
export class SimulatorSession {
  readonly userRef = `sim-${randomBytes(6).toString('hex')}`;
  private turn = 0;

  constructor(
    private readonly ctx: AppContext,
    private readonly conversations: ConversationService,
  ) {}

  /** Sends one input and waits for the bot's replies to it. */
  async send(input: ChannelInput): Promise<OutboundMessage[]> {
    this.turn++;
    const result = await this.conversations.handle({ channel: 'simulator', userRef: this.userRef, eventId: `sim-${this.turn}`, input });
    if (result.messages.length === 0) return [];
    return this.receive(result.messages.length);
  }

  private async receive(expected: number, timeoutS = 15): Promise<OutboundMessage[]> {
    // A separate connection: BLPOP blocks it.
    const conn = this.ctx.redis.duplicate();
    try {
      const key = simulatorInboxKey(this.ctx.config.redisPrefix, this.userRef);
      const out: OutboundMessage[] = [];
      while (out.length < expected) {
        const item = await conn.blpop(key, timeoutS);
        if (!item) throw new Error('the workers did not deliver the reply in time (is a worker running?)');
        out.push(outboundMessageSchema.parse(JSON.parse(item[1])));
      }
      return out;
    } finally {
      conn.disconnect();
    }
  }
}
