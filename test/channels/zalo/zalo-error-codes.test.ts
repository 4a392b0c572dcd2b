import type { Job } from 'bullmq';
import { beforeAll, describe, expect, it } from 'vitest';
import { msUntilVietnamMorning } from '../../../src/channels/zalo/ms-until-vietnam-morning.js';
import { splitZaloText } from '../../../src/channels/zalo/split-zalo-text.js';
import { outboundJobs } from '../../../src/queues/job-catalog.js';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { recordJobs } from '../../support/job-recorder.js';
import { waitUntil } from '../../support/wait-until.js';
import type { ZaloChat } from '../../support/zalo-chat.js';
import { csTo } from '../../support/zalo-survey-driver.js';

// The product's clock is moved to put the OA in its night window.
const h = useZaloProduct({ firstUserId: 8_500_000_000_000_000_000n, dossierPrefix: 'ERR' });
const { atFirstQuestion, answerQuietly, clock } = h;
let finished: ReturnType<typeof recordJobs>;
beforeAll(() => {
  finished = recordJobs(h.product, 'outbound-zalo');
});

const outbound = () => h.product.ctx.queues.queue('outbound-zalo');
const jobsOf = async (userId: string, states: ('delayed' | 'failed' | 'completed' | 'waiting' | 'active')[]) =>
  (await outbound().getJobs(states)).filter((j) => j.data.userRef === userId);
/** When a delayed job becomes due, in real time (from BullMQ's delayed set). */
const dueAt = async (job: Job) => Math.floor(Number(await h.product.redis.redis.zscore(`${h.product.config.redisPrefix}:outbound-zalo:delayed`, job.id!)) / 0x1000);

/** Answers '1' while Zalo refuses the next CS send with `errorCode`; returns the reply's job, held back, and when it failed. */
async function replyHeldBack(chat: ZaloChat, errorCode: number): Promise<{ job: Job; failedAt: number }> {
  h.fake.failNext(errorCode, { path: FAKE_ZALO_PATHS.cs });
  const failedAt = Date.now();
  await answerQuietly(chat, '1');
  const [job] = await waitUntil(async () => {
    const jobs = await jobsOf(chat.userId, ['delayed']);
    return jobs.length ? jobs : undefined;
  }, 'reply delayed');
  return { job: job!, failedAt };
}

describe('Zalo error codes through the outbound worker', () => {
  it('-234 (no sends 22:00–06:00): the reply waits until 06:00 Asia/Ho_Chi_Minh without spending an attempt', async () => {
    const { chat } = await atFirstQuestion();
    // 23:30 in Vietnam (16:30 UTC) on the product's clock.
    const target = new Date();
    target.setUTCHours(16, 30, 0, 0);
    clock.offsetMs = target.getTime() - Date.now();
    const { job, failedAt } = await replyHeldBack(chat, -234);
    const expected = failedAt + msUntilVietnamMorning(clock.now());
    expect(msUntilVietnamMorning(clock.now())).toBeGreaterThan(6 * 3600_000);
    expect(Math.abs((await dueAt(job)) - expected)).toBeLessThan(10_000);
    expect(job.attemptsMade).toBe(0);
    expect(csTo(h.fake, chat.userId)).toHaveLength(2);

    // 06:00 comes: the same job sends the reply.
    clock.offsetMs = 0;
    await job.promote();
    await waitUntil(() => csTo(h.fake, chat.userId).length === 3, 'reply sent in the morning');
    expect(String(csTo(h.fake, chat.userId).at(-1)!.body.message.text)).toMatch(/^Câu 2\//m);
  });

  it('-32 (rate limit): the job backs off and is retried, without spending an attempt', async () => {
    const { chat } = await atFirstQuestion();
    const { job, failedAt } = await replyHeldBack(chat, -32);
    expect((await dueAt(job)) - failedAt).toBeGreaterThanOrEqual(55_000);
    await job.promote();
    await waitUntil(() => csTo(h.fake, chat.userId).length === 3, 'retried');
    const done = await waitUntil(() => finished.completed(job.id!), 'job completed');
    // Only the successful run counts as an attempt: the rate-limited one did not.
    expect(done.attemptsMade).toBe(1);
  });

  it('an unknown error is retried with backoff and delivered', async () => {
    const { chat } = await atFirstQuestion();
    h.fake.failNext(-999, { path: FAKE_ZALO_PATHS.cs });
    await answerQuietly(chat, '1');
    await waitUntil(() => csTo(h.fake, chat.userId).length === 3, 'delivered on retry', 20_000);
    const calls = h.fake.callsTo(FAKE_ZALO_PATHS.cs).filter((c) => c.body.recipient.user_id === chat.userId);
    expect(calls.slice(-2).map((c) => c.response.error)).toEqual([-999, 0]);
  });

  it('a retry resumes after the text parts already delivered: nothing is sent twice', async () => {
    const userId = h.nextUserId();
    const long = Array.from({ length: 80 }, (_, i) => `${i + 1}. Hướng dẫn chi tiết dành cho Ông/Bà khi làm thủ tục.`).join('\n');
    const parts = splitZaloText(long);
    expect(parts.length).toBe(3);
    // The second CS call to this user goes astray once (the fake answers an unknown path with an error).
    let calls = 0;
    const http = h.product.services.zalo!.http;
    const id = http.interceptors.request.use((config) => {
      const body = typeof config.data === 'string' ? config.data : JSON.stringify(config.data ?? {});
      if (config.url?.endsWith('/v3.0/oa/message/cs') && body.includes(userId) && ++calls === 2) config.url = `${h.fake.url}/not-the-cs-endpoint`;
      return config;
    });
    try {
      await h.product.ctx.queues.add(outboundJobs.zalo, { batchId: `parts-${userId}`, userRef: userId, messages: [{ type: 'text', text: long }, { type: 'text', text: 'Tin nhắn thứ hai.' }] });
      await waitUntil(() => csTo(h.fake, userId).length === 4, 'all parts delivered', 20_000);
    } finally {
      http.interceptors.request.eject(id);
    }
    const texts = csTo(h.fake, userId).map((c) => String(c.body.message.text));
    // Part 1 once, part 2 after the failed try, part 3, then the second message: each exactly once.
    expect(texts).toEqual([...parts, 'Tin nhắn thứ hai.']);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    expect(calls).toBe(5);
    const job = await waitUntil(() => finished.completed(`out-parts-${userId}`), 'job completed');
    expect(job.attemptsMade).toBe(2);
    expect(job.progress).toBe(4);
  });

  it('-220 (token expired): one refresh, then the message is delivered', async () => {
    const { chat } = await atFirstQuestion();
    const refreshes = h.fake.callsTo(FAKE_ZALO_PATHS.oauth).length;
    h.fake.failNext(-220, { path: FAKE_ZALO_PATHS.cs });
    expect((await chat.say('1')).at(-1)).toMatch(/^Câu 2\//m);
    expect(h.fake.callsTo(FAKE_ZALO_PATHS.oauth).length).toBe(refreshes + 1);
  });
});
