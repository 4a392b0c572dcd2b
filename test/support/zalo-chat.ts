import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { FakeZaloServer } from './fake-zalo-server.js';
import { csText, csTo, waitForCs } from './zalo-survey-driver.js';
import { postZalo, zaloEvent } from './zalo-webhook-events.js';

/** One citizen in the OA chat: sends signed events, returns the texts the bot answered with. */
export class ZaloChat {
  constructor(
    private readonly app: FastifyInstance,
    private readonly fake: FakeZaloServer,
    readonly userId: string,
    /** The product's clock: events are signed with its time (the webhook refuses stale ones). */
    private readonly now: () => number = Date.now,
  ) {}

  get seen(): number {
    return csTo(this.fake, this.userId).length;
  }

  /** Posts an event (default: text) and waits for the bot's reply messages. */
  async send(body: object): Promise<string[]> {
    const before = this.seen;
    const res = await postZalo(this.app, body);
    expect(res.statusCode, res.body).toBe(200);
    return (await waitForCs(this.fake, this.userId, before)).slice(before).map(csText);
  }

  say(text: string): Promise<string[]> {
    return this.send(zaloEvent.text(this.userId, text, { at: this.now() }));
  }
}
