import { randomUUID } from 'node:crypto';
import type { ConnectionOptions } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelReminders, reminderFired, scheduleReminder, type TimerDeps } from '../../src/conversations/reminder-timers.js';
import { reminderJob } from '../../src/queues/job-catalog.js';
import { JobQueues } from '../../src/queues/job-queues.js';
import { createTestRedis, type TestRedis } from '../support/test-redis.js';

let r: TestRedis;
let deps: TimerDeps;
const now = new Date('2026-12-06T03:00:00Z');
const key = { channel: 'telegram', userRef: '4242' };
const at = (hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();
const schedule = (responseId: string, jobId: string, hours: number) => scheduleReminder(deps, key, { type: 'schedule_reminder', responseId, jobId, runAt: at(hours), at: now.toISOString() });
const pendingOf = async (responseId: string) => (await deps.queues.queue('reminders').getDelayed()).filter((j) => j.data.responseId === responseId);

beforeAll(async () => {
  r = await createTestRedis();
  deps = { queues: new JobQueues(r.redis as ConnectionOptions, r.prefix, () => undefined), redis: r.redis, prefix: r.prefix, now: () => now };
});
afterAll(async () => {
  await deps.queues.close();
  await r.close();
});

describe('reminder timers', () => {
  it('keeps one pending timer per response: a later one waits for the earlier to fire, an earlier one replaces it', async () => {
    const responseId = randomUUID();
    await schedule(responseId, 'timer-a', 24);
    await schedule(responseId, 'timer-b', 25);
    let pending = await pendingOf(responseId);
    expect(pending.map((j) => j.data.jobKey)).toEqual(['timer-a']);

    await schedule(responseId, 'timer-c', 2);
    pending = await pendingOf(responseId);
    expect(pending.map((j) => j.data.jobKey)).toEqual(['timer-c']);

    // It fires: the next timer asked for is added.
    await reminderFired(r.redis, r.prefix, responseId, reminderJob.jobId(pending[0]!.data));
    await pending[0]!.remove();
    await schedule(responseId, 'timer-d', 26);
    expect((await pendingOf(responseId)).map((j) => j.data.jobKey)).toEqual(['timer-d']);
  });

  it('a stale timer firing does not clear the marker of the pending one', async () => {
    const responseId = randomUUID();
    await schedule(responseId, 'timer-a', 24);
    await reminderFired(r.redis, r.prefix, responseId, 'rem-some-other-job');
    await schedule(responseId, 'timer-b', 30);
    expect((await pendingOf(responseId)).map((j) => j.data.jobKey)).toEqual(['timer-a']);
  });

  it('cancelling removes the pending timer, and a new response can schedule again', async () => {
    const responseId = randomUUID();
    await schedule(responseId, 'timer-a', 24);
    await cancelReminders(deps, responseId);
    expect(await pendingOf(responseId)).toHaveLength(0);
    await schedule(responseId, 'timer-b', 48);
    expect((await pendingOf(responseId)).map((j) => j.data.jobKey)).toEqual(['timer-b']);
  });
});
