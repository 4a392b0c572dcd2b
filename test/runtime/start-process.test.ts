import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_PG_ADMIN_URL, databaseUrl, testRunId } from '../support/test-env.js';
import { startOwnRedis, VOLATILE_FLAGS } from '../support/own-redis.js';
import { freePort, spawnMain } from '../support/spawn-script.js';

const dbName = `sipas_test_${testRunId()}_start`;
// Production refuses to start without its own pseudonym key (see the config tests).
const PRODUCTION_KEY = 'a-production-pseudonym-key-of-at-least-32-chars';

afterAll(async () => {
  const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await c.end();
});

async function waitFor(url: string, status: number, timeoutMs = 30_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const res = await fetch(url);
      if (res.status === status) return res;
      last = res.status;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer ${status} (last: ${String(last)})`);
}

describe('npm start (src/main.ts)', () => {
  it('migrates a new database, loads questionnaires, serves health, readiness and metrics, and stops cleanly', async () => {
    const port = await freePort();
    const proc = spawnMain({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl(dbName), REDIS_PREFIX: `{tstart${process.pid}}` });
    try {
      await waitFor(`http://127.0.0.1:${port}/readyz`, 200);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { checks: { name: string; ok: boolean }[] };
      expect(ready.checks.map((c) => [c.name, c.ok])).toEqual(expect.arrayContaining([['postgres', true], ['redis', true]]));
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('process_cpu_seconds_total');
      expect(metrics).toMatch(/sipas_queue_jobs\{queue="answers",state="waiting"\} 0/);
      expect(proc.output()).toContain('telegram channel disabled');
      const c = new pg.Client({ connectionString: databaseUrl(dbName) });
      await c.connect();
      const rows = (await c.query<{ code: string; version: number; active: boolean }>('SELECT code, version, active FROM questionnaires ORDER BY code, version')).rows.map((r) => `${r.code}@${r.version}${r.active ? '' : ' (closed)'}`);
      await c.end();
      // Every built-in version is stored; only the newest of each is open for new surveys.
      expect(rows).toEqual(['sipas-2017@1 (closed)', 'sipas-2017@2', 'sipas-2024@1 (closed)', 'sipas-2024@2']);
    } finally {
      proc.child.kill('SIGTERM');
    }
    expect(await proc.exited).toBe(0);
  });

  it('in production, refuses a Redis that keeps nothing on disk, naming the flags that fix it; REDIS_VOLATILE_OK starts anyway, with a warning', async () => {
    const volatile = await startOwnRedis(VOLATILE_FLAGS);
    try {
      const env = { NODE_ENV: 'production', PSEUDONYM_KEY: PRODUCTION_KEY, DATABASE_URL: databaseUrl(dbName), REDIS_URL: volatile.url, REDIS_PREFIX: `{tprod${process.pid}}`, HOST: '127.0.0.1' };
      const refused = spawnMain({ ...env, PORT: String(await freePort()) });
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toContain('Refusing to start: Redis can lose the answers it holds');
      expect(refused.output()).toContain('AOF persistence is off');
      expect(refused.output()).toContain('--appendonly yes --appendfsync everysec --maxmemory-policy noeviction');
      const port = await freePort();
      const allowed = spawnMain({ ...env, PORT: String(port), REDIS_VOLATILE_OK: 'true' });
      try {
        await waitFor(`http://127.0.0.1:${port}/healthz`, 200);
        expect(allowed.output()).toContain('running anyway because REDIS_VOLATILE_OK=true');
      } finally {
        allowed.child.kill('SIGTERM');
      }
      expect(await allowed.exited).toBe(0);
    } finally {
      await volatile.destroy();
    }
  });

  it('in production, starts on a Redis with AOF and noeviction without a word about it', async () => {
    const durable = await startOwnRedis();
    const port = await freePort();
    try {
      const proc = spawnMain({ NODE_ENV: 'production', PSEUDONYM_KEY: PRODUCTION_KEY, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: databaseUrl(dbName), REDIS_URL: durable.url, REDIS_PREFIX: `{tdur${process.pid}}` });
      try {
        await waitFor(`http://127.0.0.1:${port}/readyz`, 200);
        expect(proc.output()).not.toContain('Redis can lose');
      } finally {
        proc.child.kill('SIGTERM');
      }
      expect(await proc.exited).toBe(0);
    } finally {
      await durable.destroy();
    }
  });

  it('refuses a malformed DATABASE_URL with one line naming the variable', async () => {
    const proc = spawnMain({ DATABASE_URL: 'mysql://nope' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(/DATABASE_URL: expected a postgresql:\/\/ URL/);
  });

  it('says which Redis it tried and how to start it when Redis is unreachable', async () => {
    const proc = spawnMain({ REDIS_URL: 'redis://127.0.0.1:1', DATABASE_URL: databaseUrl(dbName) });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('Cannot reach Redis at redis://127.0.0.1:1');
    expect(proc.output()).toContain('redis-server');
  });

  it('says which PostgreSQL it tried when it is unreachable', async () => {
    const proc = spawnMain({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/sipas_chat' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('Cannot reach PostgreSQL at postgresql://postgres@127.0.0.1:1/sipas_chat');
  });

  it('requires TELEGRAM_WEBHOOK_SECRET when TELEGRAM_BOT_TOKEN is set', async () => {
    const proc = spawnMain({ TELEGRAM_BOT_TOKEN: '123456:abcDEF' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_BOT_TOKEN is set');
    expect(proc.output()).not.toContain('abcDEF');
  });
});
