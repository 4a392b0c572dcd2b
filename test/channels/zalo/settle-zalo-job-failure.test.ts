import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyZaloError, type ZaloFailure } from '../../../src/channels/zalo/classify-zalo-error.js';
import { decideZaloJob, settleZaloJobFailure } from '../../../src/channels/zalo/settle-zalo-job-failure.js';
import { createTestRedis, type TestRedis } from '../../support/test-redis.js';

const NIGHT = Date.parse('2025-03-10T16:30:00Z'); // 23:30 in Vietnam
const at = { attemptsMade: 0, attemptsStarted: 1, now: NIGHT };

describe('decideZaloJob', () => {
  it.each([
    [-216, 'cs', { action: 'retry' }],
    [-32, 'cs', { action: 'rate_limit', ms: 60_000 }],
    [-234, 'cs', { action: 'delay', untilMs: Date.parse('2025-03-10T23:00:00Z') }],
    [-230, 'cs', { action: 'give_up', reason: 'silent' }],
    [-232, 'cs', { action: 'give_up', reason: 'silent' }],
    [-213, 'cs', { action: 'give_up', reason: 'unreachable' }],
    [-217, 'cs', { action: 'give_up', reason: 'unreachable' }],
    [-244, 'cs', { action: 'give_up', reason: 'unreachable' }],
    [-108, 'zns', { action: 'give_up', reason: 'undeliverable' }],
    [-118, 'zns', { action: 'give_up', reason: 'undeliverable' }],
    [-999, 'cs', { action: 'retry' }],
  ] as const)('%i (%s) → %o', (code, api, decision) => {
    expect(decideZaloJob(classifyZaloError(code, '', api, NIGHT), at)).toEqual(decision);
  });

  it('gives up on unknown errors after a few attempts, and on endless bouncing', () => {
    const unknown = classifyZaloError(-999, '', 'cs');
    expect(decideZaloJob(unknown, { ...at, attemptsMade: 3 })).toEqual({ action: 'retry' });
    expect(decideZaloJob(unknown, { ...at, attemptsMade: 4 })).toMatchObject({ action: 'give_up' });
    expect(decideZaloJob(unknown, { ...at, attemptsMade: 1, maxUnknownAttempts: 2 })).toMatchObject({ action: 'give_up' });
    expect(decideZaloJob(classifyZaloError(-234, '', 'cs', NIGHT), { ...at, attemptsStarted: 50 })).toMatchObject({ action: 'give_up' });
  });
});

describe('settleZaloJobFailure with BullMQ', () => {
  let redis: TestRedis;
  let connection: Redis;
  let queue: Queue;
  let worker: Worker;
  const failures = new Map<string, ZaloFailure>();
  const options = new Map<string, Parameters<typeof settleZaloJobFailure>[2]>();

  beforeAll(async () => {
    redis = await createTestRedis();
    connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    queue = new Queue('zalo-outbound-test', { connection, prefix: redis.prefix });
    worker = new Worker(
      'zalo-outbound-test',
      async (job: Job) => settleZaloJobFailure(failures.get(job.name)!, job, options.get(job.name) ?? { now: () => Date.now() }),
      { connection, prefix: redis.prefix },
    );
  });
  afterAll(async () => {
    await worker?.close();
    await queue?.close();
    await connection?.quit();
    await redis?.close();
  });

  async function run(name: string, failure: ZaloFailure, state: 'failed' | 'delayed' | 'waiting', attempts = 5, q: Queue = queue) {
    failures.set(name, failure);
    const added = await q.add(name, {}, { attempts, backoff: { type: 'fixed', delay: 10 } });
    for (let i = 0; i < 300; i++) {
      if ((await q.getJobState(added.id!)) === state) return (await q.getJob(added.id!))!;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`job ${name} did not become ${state}`);
  }

  it('permanent failures fail at once with UnrecoverableError (no retries)', async () => {
    const job = await run('unreachable', classifyZaloError(-217, 'blocked', 'cs'), 'failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe('zalo unreachable (error -217): unreachable');
  });

  it('night moves the job to delayed until 06:00 without spending an attempt', async () => {
    const now = Date.now();
    const failure = classifyZaloError(-234, 'night', 'cs', now);
    const job = await run('night', failure, 'delayed');
    expect(job.attemptsMade).toBe(0);
    // BullMQ scores delayed jobs as timestamp × 4096 (+ a counter).
    const score = Number(await redis.redis.zscore(`${redis.prefix}:zalo-outbound-test:delayed`, job.id!));
    expect(failure.kind === 'night' && Math.floor(score / 4096)).toBe(failure.kind === 'night' && failure.retryAt.getTime());
    await job.remove();
  });

  it('rate limiting delays the job for a minute without spending an attempt', async () => {
    const before = Date.now();
    const job = await run('rate', classifyZaloError(-32, '', 'cs'), 'delayed');
    expect(job.attemptsMade).toBe(0);
    const score = Number(await redis.redis.zscore(`${redis.prefix}:zalo-outbound-test:delayed`, job.id!));
    expect(Math.floor(score / 4096) - before).toBeGreaterThanOrEqual(60_000);
    expect(Math.floor(score / 4096) - Date.now()).toBeLessThanOrEqual(60_000);
    await job.remove();
  });

  it('rate limiting pauses the whole queue when given a rate limiter', async () => {
    // Own queue: a rate-limited worker sleeps until the limit expires.
    const limited = new Queue('zalo-outbound-limited', { connection, prefix: redis.prefix });
    const limitedWorker = new Worker(
      'zalo-outbound-limited',
      async (job: Job) => settleZaloJobFailure(failures.get(job.name)!, job, { rateLimit: (ms) => limited.rateLimit(ms) }),
      { connection, prefix: redis.prefix },
    );
    try {
      failures.set('rate-queue', classifyZaloError(-32, '', 'cs'));
      const added = await limited.add('rate-queue', {}, { attempts: 5 });
      for (let i = 0; i < 300 && !((await limited.getRateLimitTtl()) > 0 && (await limited.getJobState(added.id!)) === 'waiting'); i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await limited.getJobState(added.id!)).toBe('waiting');
      expect(await limited.getRateLimitTtl()).toBeGreaterThan(50_000);
      expect((await limited.getJob(added.id!))!.attemptsMade).toBe(0);
    } finally {
      await limitedWorker.close(true);
      await limited.close();
    }
  });

  it('retryable failures use the queue backoff and give up after a few attempts', async () => {
    const job = await run('unknown', classifyZaloError(-999, '', 'cs'), 'failed', 3);
    expect(job.attemptsMade).toBe(3);
    expect(job.failedReason).toBe('zalo retryable (error -999)');

    options.set('unknown-capped', { maxUnknownAttempts: 2 });
    const capped = await run('unknown-capped', classifyZaloError(-999, '', 'cs'), 'failed', 10);
    expect(capped.attemptsMade).toBe(2);
    expect(capped.failedReason).toBe('zalo retryable (error -999): retryable after 2 attempts');
  });
});
