import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY } from '../support/start-product.js';
import { tgUpdate } from '../support/telegram-updates.js';
import { startRig, type Rig } from './fault-rig.js';
import { verifyCitizens } from './verify-citizens.js';
import { rollupDifferences } from './rollups-match.js';

// Faults a real deployment meets, injected while 48 citizens are mid-survey (every update
// delivered three times, Telegram-style): afterwards PostgreSQL must hold each citizen's
// answers exactly once, equal to what they chose, with rollups equal to the raw answers
// and every citizen thanked. Each scenario runs on a PostgreSQL and a Redis (AOF) of its own.
const CITIZENS = 48;
const FIRST_CHAT = 7_000_001;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/**
 * What the processes wrote: every line JSON (pino), and an outage a handful of warn lines
 * (one per episode and role), not one per request, job or reconnect attempt.
 */
function logLines(r: Rig) {
  const lines = r
    .logs()
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('--- '));
  const notJson = lines.filter((l) => {
    try {
      JSON.parse(l);
      return false;
    } catch {
      return true;
    }
  });
  const warnings = lines.filter((l) => !notJson.includes(l) && (JSON.parse(l) as { level: number }).level >= 40);
  return { notJson, warnings };
}

async function surveysUnder(fault: (rig: Rig) => Promise<void>, opts: { env?: Record<string, string> } = {}) {
  rig = await startRig(opts);
  const starts = await rig.invite(CITIZENS);
  const driving = rig.drive(starts, FIRST_CHAT);
  // Everyone is past the start (the only step that reads PostgreSQL on the webhook path).
  await rig.midSurvey(CITIZENS);
  await fault(rig);
  const reports = await driving;
  await rig.drained();
  const mismatches = await verifyCitizens(rig.databaseUrl, rig.def, reports, FIRST_CHAT);
  expect(mismatches, rig.logs().slice(-4000)).toEqual([]);
  expect(await rollupDifferences(rig.databaseUrl)).toEqual([]);
  const { notJson, warnings } = logLines(rig);
  expect(notJson, 'lines that are not pino JSON').toEqual([]);
  expect(warnings.length, warnings.slice(0, 40).join('\n')).toBeLessThan(40);
  return reports;
}

describe('faults: every answer stored exactly once, no citizen stuck', () => {
  it('kill -9 of the worker while it holds jobs, then a restart', async () => {
    await surveysUnder(async (r) => {
      await r.killWorker();
      await sleep(3_000);
      await r.startWorker();
    });
  });

  it('kill -9 of the web with requests in flight, then a restart', async () => {
    await surveysUnder(async (r) => {
      await r.killWeb();
      await sleep(2_000);
      await r.startWeb();
    });
  });

  it('PostgreSQL stopped for 30 s: conversations go on, requests that need it get 503 with Retry-After', async () => {
    await surveysUnder(async (r) => {
      await r.pg.stop();
      const units = await fetch(`${r.baseUrl}/api/v1/units`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
      expect(units.status).toBe(503);
      expect(units.headers.get('retry-after')).toBe('5');
      expect(((await units.json()) as { error: { code: string } }).error.code).toBe('unavailable');
      const ready = await fetch(`${r.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      const postgres = ((await ready.json()) as { checks: { name: string; ok: boolean; detail?: string }[] }).checks.find((c) => c.name === 'postgres');
      expect(postgres).toMatchObject({ ok: false, detail: expect.stringMatching(/\S/) });
      await sleep(30_000);
      await r.pg.start();
    });
  });

  it('Redis killed (kill -9) and restarted from its append-only file', async () => {
    await surveysUnder(async (r) => {
      await r.redis.kill9();
      await sleep(3_000);
      await r.redis.start();
    });
  });

  it('Redis killed 15 s into a 30 s PostgreSQL outage', async () => {
    await surveysUnder(async (r) => {
      await r.pg.stop();
      await sleep(15_000);
      await r.redis.kill9();
      await sleep(3_000);
      await r.redis.start();
      await sleep(12_000);
      await r.pg.start();
    });
  });

  it('a graceful SIGTERM of the worker, then a restart', async () => {
    await surveysUnder(async (r) => {
      await r.stopWorker();
      await sleep(2_000);
      await r.startWorker();
    });
  });

  it('web and worker killed together, then restarted', async () => {
    await surveysUnder(async (r) => {
      await Promise.all([r.killWeb(), r.killWorker()]);
      await sleep(2_000);
      await Promise.all([r.startWeb(), r.startWorker()]);
    });
  });
});

describe('faults: the checks bite', () => {
  it('an answers job dropped from the queue is found missing', async () => {
    rig = await startRig();
    const starts = await rig.invite(6);
    // The workers take no answers job, so every citizen's completion waits in the queue.
    await rig.pauseAnswers(true);
    const reports = await rig.drive(starts, FIRST_CHAT);
    const redis = new Redis(rig.redis.url);
    try {
      const waiting = await redis.lrange('{faults}:answers:wait', 0, -1);
      expect(waiting.length).toBeGreaterThan(0);
      // The newest job (BullMQ pushes on the left) holds the last completion: drop it, as a worker that lost a job would.
      const dropped = waiting[0]!;
      await redis.lrem('{faults}:answers:wait', 1, dropped);
      await redis.del(`{faults}:answers:${dropped}`);
    } finally {
      redis.disconnect();
    }
    await rig.pauseAnswers(false);
    await rig.drained();
    const mismatches = await verifyCitizens(rig.databaseUrl, rig.def, reports, FIRST_CHAT);
    expect(mismatches.length).toBeGreaterThan(0);
  });
});

describe('faults: recovery times', () => {
  it("after kill -9 of a worker holding a citizen's next question, it arrives within 10 s of the restart", async () => {
    rig = await startRig();
    const [start] = await rig.invite(1);
    const chat = FIRST_CHAT;
    await rig.post(tgUpdate.text(chat, start!));
    await rig.waitForSends(chat, 1);
    // Telegram answers slowly, so the job sending question 1 is still active in the worker when it dies.
    rig.setTelegramLatency(5_000);
    await rig.post(tgUpdate.callback(chat, 's:consent:yes', 1));
    await rig.waitForSends(chat, 2);
    await rig.killWorker();
    rig.setTelegramLatency(0);
    const restarting = Date.now();
    await rig.startWorker();
    const ready = Date.now();
    await rig.waitForSends(chat, 3, 60_000);
    const arrived = Date.now();
    console.info(`worker start ${ready - restarting} ms; question sent again ${arrived - ready} ms after the worker was ready`);
    expect(arrived - ready).toBeLessThan(10_000);
  });

  it('an answers job outlives an outage of many times its attempts (clock shortened: 100 ms between retries)', async () => {
    rig = await startRig({ env: { OUTAGE_RETRY_MAX_MS: '100' } });
    const starts = await rig.invite(4);
    const driving = rig.drive(starts, FIRST_CHAT);
    await rig.midSurvey(4);
    await rig.pg.stop();
    await sleep(15_000);
    const retries = await rig.transientRetries();
    await rig.pg.start();
    const reports = await driving;
    await rig.drained();
    const mismatches = await verifyCitizens(rig.databaseUrl, rig.def, reports, FIRST_CHAT);
    const after = await rig.transientRetries();
    // The processes' warnings name the failing job when answers are missing.
    expect({ mismatches, failedJobs: after.failedJobs }, rig.logs().slice(-8000)).toEqual({ mismatches: [], failedJobs: 0 });
    // 15 s of outage at 100 ms: far more tries than the job's 8 attempts, none of them spent.
    expect(retries.postponed).toBeGreaterThan(50);
    expect(retries.failedJobs).toBe(0);
  });
});
