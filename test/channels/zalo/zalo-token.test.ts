import { describe, expect, it } from 'vitest';
import { zaloTokenUpkeepJob } from '../../../src/queues/job-catalog.js';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { waitUntil } from '../../support/wait-until.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { csTo, waitForCs } from '../../support/zalo-survey-driver.js';
import { postZalo, ZALO_TEST, zaloEvent } from '../../support/zalo-webhook-events.js';

// The first test watches the refresh at start, so the harness does not wait for it.
const h = useZaloProduct({ firstUserId: 8_400_000_000_000_000_000n, dossierPrefix: 'TOK', tokenReady: false });
const oauthCalls = () => h.fake.callsTo(FAKE_ZALO_PATHS.oauth).length;
const tokenRow = () => h.product.db.prisma.zaloToken.findUniqueOrThrow({ where: { oaId: ZALO_TEST.oaId } });
/** A citizen at question 1 of an invited survey. */
const atFirstQuestion = async () => (await h.atFirstQuestion()).chat;

const readyz = async () => {
  const res = await h.product.app!.inject({ method: 'GET', url: '/readyz' });
  const check = (res.json() as { checks: { name: string; ok: boolean; detail?: string }[] }).checks.find((c) => c.name === 'zalo_token');
  return { status: res.statusCode, body: res.body, check };
};
const secrets = () => [...h.fake.validAccessTokens(), h.fake.currentRefreshToken()!, ZALO_TEST.refreshToken, ZALO_TEST.accessToken];

describe('Zalo OA tokens', () => {
  it('the repeatable upkeep job refreshes the seeded token at start; /readyz reports it without showing a token', async () => {
    const row = await waitUntil(async () => {
      const r = await h.product.db.prisma.zaloToken.findUnique({ where: { oaId: ZALO_TEST.oaId } });
      return r && r.version >= 1 ? r : undefined;
    }, 'first proactive refresh');
    expect(row.refreshToken).toBe(h.fake.currentRefreshToken());
    expect(row.refreshToken).not.toBe(ZALO_TEST.refreshToken);
    expect(row.accessExpiresAt.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);
    const schedulers = await h.product.ctx.queues.queue('maintenance').getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every]).sort()).toEqual([['expire-invitations', 3_600_000], ['repair-answers', 600_000], ['round-sampling', 60_000], ['unopened-reminders', 600_000], ['zalo-token-upkeep', 600_000]]);
    const r = await readyz();
    expect(r.status).toBe(200);
    expect(r.check).toMatchObject({ ok: true });
    expect(r.check!.detail).toMatch(/valid for \d+ min/);
    for (const s of secrets()) expect(r.body).not.toContain(s);
  });

  it('token expiry mid-survey: -216, one refresh, the message is delivered and the rotated refresh token is stored', async () => {
    await waitUntil(async () => (await tokenRow()).version >= 1, 'first refresh');
    const chat = await atFirstQuestion();
    const before = await tokenRow();
    const refreshes = oauthCalls();
    h.fake.expireAccessTokens();

    expect((await chat.say('1')).at(-1)).toMatch(/^Câu 2\//m);
    expect(oauthCalls()).toBe(refreshes + 1);
    const calls = h.fake.callsTo(FAKE_ZALO_PATHS.cs).filter((c) => c.body.recipient.user_id === chat.userId);
    expect(calls.slice(-2).map((c) => c.response.error)).toEqual([-216, 0]);
    const after = await tokenRow();
    expect(after.version).toBe(before.version + 1);
    expect(after.refreshToken).toBe(h.fake.currentRefreshToken());
    expect(h.fake.validAccessTokens()).toEqual([after.accessToken]);
    expect(after.lastError).toBeNull();
  });

  it('20 sends failing with -216 at the same moment make exactly one refresh call', async () => {
    const chats = await Promise.all(Array.from({ length: 20 }, () => atFirstQuestion()));
    const refreshes = oauthCalls();
    const version = (await tokenRow()).version;
    // A slow OAuth answer keeps the refresh in flight while every send hits -216.
    h.fake.refreshDelayMs = 3000;
    h.fake.expireAccessTokens();
    const seen = chats.map((c) => c.seen);
    const res = await Promise.all(chats.map((c) => postZalo(h.product.app!, zaloEvent.text(c.userId, '1'))));
    expect(res.every((r) => r.statusCode === 200)).toBe(true);
    await Promise.all(chats.map((c, i) => waitForCs(h.fake, c.userId, seen[i]!)));
    h.fake.refreshDelayMs = 0;

    expect(oauthCalls()).toBe(refreshes + 1);
    const rejected = chats.filter((c) => h.fake.callsTo(FAKE_ZALO_PATHS.cs).some((call) => call.body.recipient.user_id === c.userId && call.response.error === -216));
    expect(rejected.length).toBeGreaterThanOrEqual(15);
    for (const c of chats) expect(String(csTo(h.fake, c.userId).at(-1)!.body.message.text)).toMatch(/^Câu 2\//m);
    const row = await tokenRow();
    expect(row.version).toBe(version + 1);
    expect(row.refreshToken).toBe(h.fake.currentRefreshToken());
  });

  it('a failed refresh is reported on /readyz (not ready, with the reason) without crashing; the next run recovers', async () => {
    await waitUntil(async () => (await tokenRow()).version >= 1, 'first refresh');
    const refreshes = oauthCalls();
    h.fake.failNext(-14014, { path: FAKE_ZALO_PATHS.oauth });
    await h.product.ctx.queues.add(zaloTokenUpkeepJob, { marginMs: 30 * 3600_000 });
    await waitUntil(async () => (await tokenRow()).lastError ?? undefined, 'refresh failure recorded');
    expect(oauthCalls()).toBe(refreshes + 1);
    const failed = await readyz();
    expect(failed.status).toBe(503);
    expect(failed.check).toMatchObject({ ok: false });
    expect(failed.check!.detail).toMatch(/^last token refresh failed: OAuth refresh refused: error -14014/);
    for (const s of secrets()) expect(failed.body).not.toContain(s);
    // The failed attempt spent nothing: the stored refresh token still works.
    expect((await tokenRow()).refreshToken).toBe(h.fake.currentRefreshToken());

    await h.product.ctx.queues.add(zaloTokenUpkeepJob, { marginMs: 30 * 3600_000 });
    await waitUntil(async () => (await tokenRow()).lastError === null, 'recovered');
    expect((await readyz()).status).toBe(200);
  });
});
