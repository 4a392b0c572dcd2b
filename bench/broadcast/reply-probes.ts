import { sleep } from '../../test/support/spawn-script.js';
import type { FakeTelegramServer } from '../../test/support/fake-telegram-server.js';
import { BENCH_TG_SECRET } from '../lib/product.js';
import { percentiles } from '../lib/stats.js';
import { textUpdate } from '../webhook/telegram-update.js';

/** Citizens who write to the bot while the broadcast drains: one every PROBE_EVERY_MS, from PROBE_FROM_MS after the start. */
const REPLY_PROBES = 20;
const PROBE_EVERY_MS = 2000;
const PROBE_FROM_MS = 3000;
const PROBE_CHAT_BASE = 970_000_000;

export type ReplyProbes = {
  sent: number;
  /** Probes whose first reply the fake accepted before the broadcast finished. */
  answered: number;
  /** From the webhook POST until the fake accepted the first reply message to that chat. */
  latencyMs: Record<string, number>;
  maxMs: number;
  /** Broadcast messages still queued when each probe was posted (median). */
  backlogAtProbe: number;
};

/**
 * While the broadcast drains, citizens write to the bot (`/start` from a new chat, through
 * the webhook, as Telegram delivers it): the time until the bot's first answer reaches the
 * fake says whether conversations wait behind the broadcast's backlog.
 */
export function startReplyProbes(productUrl: string, fake: FakeTelegramServer, broadcastSize: number) {
  const chats = Array.from({ length: REPLY_PROBES }, (_, i) => PROBE_CHAT_BASE + i);
  const postedAt = new Map<number, number>();
  const backlog: number[] = [];
  const accepted = () => chats.reduce((s, c) => s + (fake.acceptedFor(c)?.count ?? 0), 0);
  let stopped = false;
  const run = (async () => {
    await sleep(PROBE_FROM_MS);
    for (const [i, chatId] of chats.entries()) {
      if (stopped) break;
      backlog.push(broadcastSize - (fake.stats().accepted - accepted()));
      postedAt.set(chatId, Date.now());
      const res = await fetch(`${productUrl}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BENCH_TG_SECRET },
        body: JSON.stringify(textUpdate(800_000_000 + i, chatId, '/start', Math.floor(Date.now() / 1000))),
      });
      if (res.status !== 200) throw new Error(`reply probe: webhook answered ${res.status}`);
      await sleep(PROBE_EVERY_MS);
    }
  })();
  return {
    accepted,
    async result(): Promise<{ accepted: number; summary: ReplyProbes }> {
      stopped = true;
      await run;
      const waits = [...postedAt].flatMap(([chat, at]) => {
        const first = fake.acceptedFor(chat)?.firstAt;
        return first === undefined ? [] : [first - at];
      });
      const latencyMs = percentiles(waits, [50, 90, 99]);
      return { accepted: accepted(), summary: { sent: postedAt.size, answered: waits.length, latencyMs, maxMs: waits.length ? Math.max(...waits) : NaN, backlogAtProbe: percentiles(backlog, [50]).p50! } };
    },
  };
}
