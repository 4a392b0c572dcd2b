import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { ZaloTokenRefreshError } from '../../../src/channels/zalo/zalo-token-manager.js';
import type { ZaloLogger } from '../../../src/channels/zalo/zalo-logger.js';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { APP_ID, APP_SECRET, captureLogger, useZaloScenarios } from './zalo-test-kit.js';

const env = useZaloScenarios();

async function scenario() {
  const s = await env.scenario();
  return s;
}
const row = (oaId: string) => env.db.prisma.zaloToken.findUniqueOrThrow({ where: { oaId } });

describe('ZaloTokenManager', () => {
  it('accepts a pino logger', () => {
    const logger: ZaloLogger = pino({ level: 'silent' });
    expect(logger).toBeDefined();
  });

  it('seeds the row from config on first use, once', async () => {
    const { oaId, seed, manager } = await scenario();
    expect(await env.db.prisma.zaloToken.findUnique({ where: { oaId } })).toBeNull();
    const [a, b] = await Promise.all([manager().getAccessToken(), manager().getAccessToken()]);
    expect(a).toBe(seed.accessToken);
    expect(b).toBe(seed.accessToken);
    expect(await row(oaId)).toMatchObject({ accessToken: seed.accessToken, refreshToken: seed.refreshToken, version: 0, lastError: null });
  });

  it('refreshes with the OAuth v4 form and commits the rotated pair', async () => {
    const { oaId, seed, fake, manager } = await scenario();
    const before = Date.now();
    const fresh = await manager().refresh('test');
    const [call] = fake.callsTo(FAKE_ZALO_PATHS.oauth);
    expect(call?.headers['secret_key']).toBe(APP_SECRET);
    expect(call?.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(call?.body).toEqual({ app_id: APP_ID, grant_type: 'refresh_token', refresh_token: seed.refreshToken });
    const stored = await row(oaId);
    expect(fresh).toBe(stored.accessToken);
    expect(fake.validAccessTokens()).toContain(fresh);
    expect(stored.refreshToken).toBe(fake.currentRefreshToken());
    expect(stored.refreshToken).not.toBe(seed.refreshToken);
    expect(stored.version).toBe(1);
    expect(stored.accessExpiresAt.getTime()).toBeGreaterThanOrEqual(before + 90_000_000);
    expect(stored.accessExpiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 90_000_000);
  });

  it('does not refresh again when the stale token was already replaced', async () => {
    const { seed, fake, manager } = await scenario();
    const m = manager();
    const fresh = await m.refresh('first', seed.accessToken);
    expect(await m.refresh('second', seed.accessToken)).toBe(fresh);
    expect(await manager().refresh('other process', seed.accessToken)).toBe(fresh);
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(1);
  });

  it('spends the refresh token once across processes refreshing at the same moment', async () => {
    const { oaId, seed, fake, manager } = await scenario();
    fake.refreshDelayMs = 150;
    const processes = [manager(), manager(), manager(), manager()];
    const results = await Promise.all(processes.flatMap((m) => Array.from({ length: 5 }, () => m.refresh('race', seed.accessToken))));
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(1);
    expect(new Set(results).size).toBe(1);
    expect((await row(oaId)).refreshToken).toBe(fake.currentRefreshToken());
    expect((await row(oaId)).version).toBe(1);
  });

  it('a spent refresh token is refused, recorded and surfaced without crashing', async () => {
    const { oaId, seed, fake, manager } = await scenario();
    const logger = captureLogger();
    const m = manager({ logger });
    await m.refresh('rotate');
    // Put the spent seed refresh token back, as a restored backup would.
    await env.db.prisma.zaloToken.update({ where: { oaId }, data: { refreshToken: seed.refreshToken } });
    const err = await m.refresh('again').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloTokenRefreshError);
    expect((err as ZaloTokenRefreshError).code).toBe(-14014);
    const status = await m.status();
    expect(status).toMatchObject({ ok: false, seeded: true, version: 1 });
    expect(status.lastError).toContain('-14014');
    expect(JSON.stringify(status)).not.toContain(seed.refreshToken);
    expect(await m.getAccessToken()).toBe((await row(oaId)).accessToken);
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(2);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error', event: 'zalo.token_refresh_failed', code: -14014 }));
  });

  it('processes waiting on a refresh that fails do not spend the token again at once', async () => {
    const { seed, fake, manager } = await scenario();
    fake.refreshDelayMs = 150;
    fake.failNext(-14014, { path: FAKE_ZALO_PATHS.oauth });
    const [a, b] = [manager({ pollMs: 20 }), manager({ pollMs: 20 })];
    await Promise.all([a.getAccessToken(), b.getAccessToken()]);
    const results = await Promise.allSettled([a.refresh('x', seed.accessToken), b.refresh('y', seed.accessToken)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(1);
    // The next attempt (e.g. the next send) tries again and succeeds.
    expect(await b.refresh('later', seed.accessToken)).not.toBe(seed.accessToken);
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(2);
  });

  it('clears the recorded error on the next successful refresh', async () => {
    const { manager, fake } = await scenario();
    const m = manager();
    fake.failNext(-14014, { path: FAKE_ZALO_PATHS.oauth });
    await expect(m.refresh('fails')).rejects.toThrow(/-14014/);
    expect((await m.status()).ok).toBe(false);
    await m.refresh('works');
    expect(await m.status()).toMatchObject({ ok: true, lastError: null, version: 1 });
  });

  it('refreshIfExpiringSoon refreshes a due token, leaves a fresh one, and never throws', async () => {
    const { fake, manager } = await scenario();
    const m = manager();
    // The seeded token's age is unknown: due at once.
    expect(await m.refreshIfExpiringSoon(3600_000)).toMatchObject({ outcome: 'refreshed' });
    expect(await m.refreshIfExpiringSoon(3600_000)).toMatchObject({ outcome: 'fresh' });
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(1);
    // Due again when the margin exceeds the remaining lifetime; a refused refresh is reported.
    fake.failNext(-14014, { path: FAKE_ZALO_PATHS.oauth });
    const failed = await m.refreshIfExpiringSoon(100_000_000);
    expect(failed).toMatchObject({ outcome: 'failed' });
    expect(failed.outcome === 'failed' && failed.error).toContain('-14014');
  });

  it('waits for another holder of the lock and takes its result', async () => {
    const { oaId, seed, fake, manager } = await scenario();
    const m = manager({ pollMs: 20 });
    await m.getAccessToken();
    const lockKey = `${env.redis.prefix}:zalo:token-refresh:${oaId}`;
    await env.redis.redis.set(lockKey, 'someone-else', 'PX', 5_000);
    const pending = m.refresh('blocked', seed.accessToken);
    await new Promise((r) => setTimeout(r, 100));
    await env.db.prisma.zaloToken.update({ where: { oaId }, data: { accessToken: 'at_from_other_process', version: { increment: 1 } } });
    expect(await pending).toBe('at_from_other_process');
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(0);
    expect(await env.redis.redis.get(lockKey)).toBe('someone-else'); // never released by a non-holder
    await env.redis.redis.del(lockKey);
  });

  it('gives up waiting for a lock that is never released', async () => {
    const { oaId, manager, fake } = await scenario();
    const m = manager({ pollMs: 20, waitTimeoutMs: 200 });
    await m.getAccessToken();
    await env.redis.redis.set(`${env.redis.prefix}:zalo:token-refresh:${oaId}`, 'stuck', 'PX', 5_000);
    await expect(m.refresh('blocked')).rejects.toThrow(/timed out/);
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(0);
  });

  it('never logs tokens or secrets', async () => {
    const { seed, fake, manager, config } = await scenario();
    const logger = captureLogger();
    const m = manager({ logger });
    await m.refresh('one');
    fake.failNext(-14014, { path: FAKE_ZALO_PATHS.oauth });
    await m.refresh('two').catch(() => undefined);
    const logged = JSON.stringify(logger.lines);
    for (const secret of [seed.accessToken, seed.refreshToken, config.appSecretKey, ...fake.validAccessTokens(), fake.currentRefreshToken()!]) {
      expect(logged).not.toContain(secret);
    }
    expect(logger.lines.length).toBeGreaterThan(0);
  });
});
