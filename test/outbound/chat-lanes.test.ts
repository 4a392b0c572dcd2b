import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatLanes } from '../../src/outbound/chat-lanes.js';
import { TELEGRAM_LANES } from '../../src/channels/telegram/telegram-lanes.js';
import { createTestRedis, type TestRedis } from '../support/test-redis.js';

/** The lane scripts on a real Redis, without a queue: jobs that were never added look "missing". */
let redis: TestRedis;
let lanes: ChatLanes;
let quickGap: ChatLanes;
let chatSeq = 0;
const chat = () => `lane-chat-${chatSeq++}`;

beforeAll(async () => {
  redis = await createTestRedis();
  // Order only (no spacing, no bot-wide pacing); one with a short gap timeout.
  const orderOnly = { ...TELEGRAM_LANES, chatIntervalMs: 0, slotMs: 0, windowMax: 0, pollMs: 100 };
  lanes = new ChatLanes(redis.redis, redis.prefix, 'telegram', 'outbound-telegram', orderOnly);
  quickGap = new ChatLanes(redis.redis, redis.prefix, 'telegram', 'outbound-telegram', { ...orderOnly, gapTimeoutMs: 300 });
});
afterAll(async () => {
  await redis?.close();
});

const claim = (userRef: string, jobId: string, seq: number, l = lanes) => l.claim({ userRef, jobId, seq, chatSpacing: false, pace: false });

describe('chat lanes', () => {
  it('numbers a chat’s jobs in order, and the same job id keeps its number', async () => {
    const c = chat();
    expect(await lanes.assign(c, 'j1')).toBe(1);
    expect(await lanes.assign(c, 'j2')).toBe(2);
    expect(await lanes.assign(c, 'j1')).toBe(1);
    expect(await lanes.assignMany([{ userRef: c, jobId: 'j3' }, { userRef: chat(), jobId: 'x1' }, { userRef: c, jobId: 'j4' }, { userRef: c, jobId: 'j2' }])).toEqual([3, 1, 4, 2]);
  });

  it('lets only the head go; the next goes once the head is released; a finished copy is a duplicate', async () => {
    const c = chat();
    await lanes.assign(c, 'a');
    await lanes.assign(c, 'b');
    const waiting = await claim(c, 'b', 2);
    expect(waiting).toMatchObject({ kind: 'defer', reason: 'turn' });
    expect(await claim(c, 'a', 1)).toEqual({ kind: 'go', waitMs: 0 });
    await lanes.release(c, 1);
    expect(await claim(c, 'b', 2)).toEqual({ kind: 'go', waitMs: 0 });
    expect(await claim(c, 'a', 1)).toEqual({ kind: 'duplicate' });
    // Releasing a job that is not the head changes nothing.
    await lanes.release(c, 1);
    expect(await claim(c, 'b', 2)).toEqual({ kind: 'go', waitMs: 0 });
  });

  it('skips a numbered job that never reached the queue once the gap timeout passed', async () => {
    const c = chat();
    await lanes.assign(c, 'ghost');
    await lanes.assign(c, 'real');
    expect(await claim(c, 'real', 2)).toMatchObject({ kind: 'defer', reason: 'turn' });
    await new Promise((r) => setTimeout(r, 350));
    expect(await claim(c, 'real', 2)).toMatchObject({ kind: 'defer', reason: 'turn' });
    expect(await claim(c, 'real', 2, quickGap)).toEqual({ kind: 'go', waitMs: 0 });
    // If the skipped job turns up after all, it is sent late rather than lost.
    expect(await claim(c, 'ghost', 1)).toEqual({ kind: 'go', waitMs: 0 });
  });

  it('jobs behind a head that postponed itself wait until it is due', async () => {
    const c = chat();
    await lanes.assign(c, 'h');
    await lanes.assign(c, 'f');
    const until = Date.now() + 60_000;
    await lanes.hold(c, 1, until);
    const gate = await claim(c, 'f', 2);
    expect(gate.kind).toBe('defer');
    expect(gate.kind === 'defer' && gate.until).toBeGreaterThanOrEqual(until);
  });

  it('a lane that expired while its job waited starts again from that job', async () => {
    const c = chat();
    expect(await claim(c, 'orphan', 7)).toEqual({ kind: 'go', waitMs: 0 });
    await lanes.release(c, 7);
    expect(await lanes.assign(c, 'after')).toBe(8);
  });
});
