import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueOutbound, enqueueOutboundMany, type OutboundPayload } from '../../src/outbound/enqueue-outbound.js';
import { outboundJobs } from '../../src/queues/job-catalog.js';
import { TELEGRAM_MAX_IN_ANY_SECOND } from '../../src/channels/telegram/telegram-lanes.js';
import { laneFor } from '../../src/outbound/outbound-lanes.js';
import { QUEUE } from '../../src/queues/queue-names.js';
import { FakeTelegramServer, type TelegramCall } from '../support/fake-telegram-server.js';
import { startProduct, type Product } from '../support/start-product.js';
import { recordJobs } from '../support/job-recorder.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * The Telegram outbound queue against a fake Bot API that enforces Telegram's flood
 * limits (30 messages in any rolling second, 1 s between two messages to one chat, else
 * 429 with retry_after). Jobs go through the product's enqueue helper; the product's
 * worker runs 16 jobs at once.
 */
let fake: FakeTelegramServer;
let product: Product;
let jobs: ReturnType<typeof recordJobs>;
let chatSeq = 9_100_000;
const nextChat = () => String(chatSeq++);

beforeAll(async () => {
  fake = await new FakeTelegramServer().start();
  fake.enforceLimits({ globalPerSecond: 30, perChatIntervalMs: 1000 });
  product = await startProduct({ TELEGRAM_API_ROOT: fake.url, TELEGRAM_CHAT_INTERVAL_MS: '1000' }, { web: false });
  jobs = recordJobs(product, QUEUE.outboundTelegram);
});
afterAll(async () => {
  await product?.stop();
  await fake?.close();
});

const deps = () => ({ queues: product.ctx.queues, redis: product.ctx.redis, prefix: product.config.redisPrefix });
const queue = () => product.ctx.queues.queue(QUEUE.outboundTelegram);
// Random batch ids (as real outbox ids are hashes): job ids say nothing about the order.
const job = (chatId: string, ...texts: string[]): OutboundPayload => ({ batchId: randomUUID(), userRef: chatId, messages: texts.map((text) => ({ type: 'text' as const, text })), kind: 'reminder' });
const send = (chatId: string, ...texts: string[]) => enqueueOutbound(deps(), outboundJobs.telegram, job(chatId, ...texts));
const textsTo = (chatId: string) => fake.acceptedSendsTo(chatId).map((c) => String(c.body.text));
const refusedTo = (chatId?: string) => fake.callsTo('sendMessage', chatId).filter((c) => c.status === 429);
const gaps = (calls: TelegramCall[]) => calls.slice(1).map((c, i) => c.at - calls[i]!.at);

describe('per-chat order and pacing', () => {
  it('sends one chat’s consecutive jobs in enqueue order, at least 1 s apart, with no 429', async () => {
    const chat = nextChat();
    const texts = Array.from({ length: 8 }, (_, i) => `#${i + 1} nhắc lịch`);
    for (const t of texts) await send(chat, t);
    await waitUntil(() => fake.acceptedSendsTo(chat).length === texts.length, 'all eight delivered');
    expect(textsTo(chat)).toEqual(texts);
    for (const gap of gaps(fake.acceptedSendsTo(chat))) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(refusedTo(chat)).toEqual([]);
    // Postponed jobs spent no attempt: each completed on its first (the one BullMQ counts on completion).
    const done = await waitUntil(() => {
      const mine = jobs.of(chat).filter((j) => j.outcome === 'completed');
      return mine.length === texts.length && mine;
    }, 'all eight completed');
    expect(done.map((j) => j.attemptsMade)).toEqual(texts.map(() => 1));
    // Finished jobs are gone from Redis, payload and all.
    expect(await queue().getJobs(['completed'])).toEqual([]);
  });

  it('a busy chat does not hold up other chats', async () => {
    const busy = nextChat();
    const others = [nextChat(), nextChat(), nextChat()];
    for (let i = 1; i <= 5; i++) await send(busy, `#${i}`);
    for (const c of others) await send(c, '#1 lời mời');
    await waitUntil(() => fake.acceptedSendsTo(busy).length === 5, 'busy chat delivered');
    const lastOfBusy = fake.acceptedSendsTo(busy).at(-1)!.at;
    for (const c of others) {
      expect(textsTo(c)).toEqual(['#1 lời mời']);
      // Enqueued after the busy chat's five jobs, sent long before the last of them.
      expect(fake.acceptedSendsTo(c)[0]!.at).toBeLessThan(lastOfBusy - 2000);
    }
    expect(textsTo(busy)).toEqual(['#1', '#2', '#3', '#4', '#5']);
  });

  it('two chats with interleaved jobs each keep their own order', async () => {
    const a = nextChat();
    const b = nextChat();
    for (let i = 1; i <= 4; i++) {
      await send(a, `#${i} a`);
      await send(b, `#${i} b`);
    }
    await waitUntil(() => fake.acceptedSendsTo(a).length === 4 && fake.acceptedSendsTo(b).length === 4, 'both chats delivered');
    expect(textsTo(a)).toEqual(['#1 a', '#2 a', '#3 a', '#4 a']);
    expect(textsTo(b)).toEqual(['#1 b', '#2 b', '#3 b', '#4 b']);
    expect(refusedTo(a).length + refusedTo(b).length).toBe(0);
  });
});

describe('a failing job does not stall its chat', () => {
  it('a job given up for good (recipient gone) lets the next ones go, in order', async () => {
    const chat = nextChat();
    fake.fail({ method: 'sendMessage', chatId: chat, errorCode: 403, description: 'Forbidden: bot was blocked by the user' });
    const first = await send(chat, '#1');
    await send(chat, '#2');
    await send(chat, '#3');
    await waitUntil(() => fake.acceptedSendsTo(chat).length === 2, 'the later jobs delivered');
    expect(textsTo(chat)).toEqual(['#2', '#3']);
    expect(await (await queue().getJob(first))!.getState()).toBe('failed');
  });

  it('a retried job keeps its place: the jobs behind it wait for it', async () => {
    const chat = nextChat();
    fake.fail({ method: 'sendMessage', chatId: chat, errorCode: 500, description: 'Internal Server Error', times: 2 });
    const first = await send(chat, '#1');
    await send(chat, '#2');
    await send(chat, '#3');
    await waitUntil(() => fake.acceptedSendsTo(chat).length === 3, 'all delivered');
    expect(textsTo(chat)).toEqual(['#1', '#2', '#3']);
    // Two failed attempts and the one that succeeded.
    expect((await waitUntil(() => jobs.completed(first), 'first completed')).attemptsMade).toBe(3);
  });

  it('a numbered job that failed before its handler ran (invalid payload) is skipped', async () => {
    const chat = nextChat();
    const lanes = laneFor(product.ctx.redis, product.config.redisPrefix, 'telegram');
    const seq = await lanes.assign(chat, 'out-broken-1');
    await queue().add('send', { batchId: 'broken-1', userRef: chat, messages: 'not a list', seq }, { jobId: 'out-broken-1' });
    await send(chat, '#2');
    await waitUntil(() => fake.acceptedSendsTo(chat).length === 1, 'the next job delivered');
    expect(textsTo(chat)).toEqual(['#2']);
    expect(await (await queue().getJob('out-broken-1'))!.getState()).toBe('failed');
  });
});

describe('re-enqueued jobs', () => {
  it('enqueuing the same job twice keeps its number: sent once, the chat goes on', async () => {
    const chat = nextChat();
    const twice = job(chat, '#1');
    await enqueueOutbound(deps(), outboundJobs.telegram, twice);
    await enqueueOutbound(deps(), outboundJobs.telegram, twice);
    await send(chat, '#2');
    await waitUntil(() => fake.acceptedSendsTo(chat).length === 2, 'both delivered');
    // A copy added again after the finished job was cleaned from Redis is recognised, not sent again.
    await waitUntil(async () => (await queue().getJobCounts('waiting', 'active', 'delayed')).delayed === 0, 'queue idle');
    await queue().clean(0, 10_000, 'completed');
    await enqueueOutbound(deps(), outboundJobs.telegram, twice);
    await send(chat, '#3');
    await waitUntil(() => fake.acceptedSendsTo(chat).length === 3, 'the third delivered');
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo(chat)).toEqual(['#1', '#2', '#3']);
  });
});

describe('bot-wide pacing', () => {
  it('a broadcast to many chats stays within Telegram’s rolling second: no 429', async () => {
    const chats = Array.from({ length: 70 }, () => nextChat());
    const before = fake.acceptedSendsTo().length;
    for (const c of chats) await send(c, '#1 lời mời khảo sát');
    await waitUntil(() => chats.every((c) => fake.acceptedSendsTo(c).length === 1), 'all chats delivered');
    expect(chats.flatMap((c) => refusedTo(c))).toEqual([]);
    const times = fake.acceptedSendsTo().slice(before).map((c) => c.at);
    const maxInOneSecond = Math.max(...times.map((t) => times.filter((u) => u > t - 1000 && u <= t).length));
    expect(maxInOneSecond).toBeLessThanOrEqual(TELEGRAM_MAX_IN_ANY_SECOND);
  });

  it('honours a 429: nothing is sent to any chat for retry_after, and the job spends no attempt', async () => {
    const chat = nextChat();
    fake.fail({ method: 'sendMessage', chatId: chat, errorCode: 429, description: 'Too Many Requests: retry after 2', retryAfter: 2 });
    const limited = await send(chat, '#1 lời mời');
    await waitUntil(() => refusedTo(chat)[0], 'the 429');
    const refusedAt = refusedTo(chat)[0]!.at;
    const others = [nextChat(), nextChat(), nextChat()];
    for (const c of others) await send(c, '#1 lời mời');
    await waitUntil(() => [chat, ...others].every((c) => fake.acceptedSendsTo(c).length === 1), 'all delivered after the pause');
    for (const c of [chat, ...others]) expect(fake.acceptedSendsTo(c)[0]!.at).toBeGreaterThanOrEqual(refusedAt + 2000);
    // The 429 spent no attempt: only the successful one is counted.
    expect((await waitUntil(() => jobs.completed(limited), 'limited completed')).attemptsMade).toBe(1);
    expect(textsTo(chat)).toEqual(['#1 lời mời']);
  });
});

describe('replies before broadcasts', () => {
  const BROADCAST = 150;
  const invitation = (chatId: string): OutboundPayload => ({ ...job(chatId, '#1 lời mời khảo sát'), kind: 'invitation' });
  const reply = (chatId: string, text: string): OutboundPayload => ({ ...job(chatId, text), kind: 'reply' });
  /** Queues a broadcast of BROADCAST invitations (the last one to `lastChat`, when given) and returns its chats. */
  const broadcast = async (lastChat?: string) => {
    const chats = Array.from({ length: BROADCAST }, (_, i) => (i === BROADCAST - 1 && lastChat ? lastChat : nextChat()));
    await enqueueOutboundMany(deps(), outboundJobs.telegram, chats.map(invitation));
    return chats;
  };
  const delivered = (chats: string[]) => chats.filter((c) => fake.acceptedSendsTo(c).length > 0).length;

  it('a reply to a citizen in conversation goes before a queued broadcast of our invitations', async () => {
    const chats = await broadcast();
    const citizen = nextChat();
    await enqueueOutbound(deps(), outboundJobs.telegram, reply(citizen, 'Câu 2/22: ...'));
    await waitUntil(() => fake.acceptedSendsTo(citizen).length === 1, 'the reply');
    // At 25/s the whole broadcast takes 6 s; in FIFO order the reply would have been last.
    expect(delivered(chats)).toBeLessThan(BROADCAST / 2);
    await waitUntil(() => delivered(chats) === BROADCAST, 'the broadcast', 30_000);
    expect(chats.flatMap((c) => refusedTo(c))).toEqual([]);
  });

  it('a reply behind its own chat’s queued invitation sends that invitation first, then the reply, both early', async () => {
    const citizen = nextChat();
    const chats = await broadcast(citizen);
    await enqueueOutbound(deps(), outboundJobs.telegram, reply(citizen, 'Cảm ơn Ông/Bà.'));
    await waitUntil(() => fake.acceptedSendsTo(citizen).length === 2, 'the invitation and the reply');
    expect(textsTo(citizen)).toEqual(['#1 lời mời khảo sát', 'Cảm ơn Ông/Bà.']);
    expect(delivered(chats)).toBeLessThan(BROADCAST / 2);
    await waitUntil(() => delivered(chats) === BROADCAST, 'the broadcast', 30_000);
    expect(refusedTo(citizen)).toEqual([]);
  });
});
