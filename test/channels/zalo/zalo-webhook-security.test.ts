import { describe, expect, it } from 'vitest';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { waitUntil } from '../../support/wait-until.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { csTo, waitForCs } from '../../support/zalo-survey-driver.js';
import { postZalo, ZALO_TEST, zaloEvent, zaloMac } from '../../support/zalo-webhook-events.js';

const h = useZaloProduct({ firstUserId: 8_300_000_000_000_000_000n, dossierPrefix: 'SEC' });
const newUser = () => h.nextUserId();

/** Nothing of this user anywhere: no session, no respondent, no reply, no queued job. */
async function expectNothingRecorded(userId: string) {
  await new Promise((r) => setTimeout(r, 150));
  const env = await h.product.services.conversations.store.load({ channel: 'zalo', userRef: userId });
  expect(env).toMatchObject({ v: 0, session: null, seen: [] });
  expect(await h.product.db.prisma.respondent.count({ where: { externalId: userId } })).toBe(0);
  expect(csTo(h.fake, userId)).toHaveLength(0);
  const jobs = await h.product.ctx.queues.queue('outbound-zalo').getJobs(['waiting', 'active', 'delayed', 'completed', 'failed']);
  expect(jobs.filter((j) => j.data.userRef === userId)).toHaveLength(0);
}

describe('POST /webhooks/zalo refuses what Zalo did not sign', () => {
  it('401 for a missing signature, a wrong one, one over a re-serialised body, a stale or a future timestamp, another app', async () => {
    const { code } = await h.invite();
    const userId = newUser();
    const body = zaloEvent.text(userId, code);
    const raw = JSON.stringify(body);

    const missing = await postZalo(h.product.app!, raw, { signature: null });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect((await postZalo(h.product.app!, raw, { signature: '' })).statusCode).toBe(401);
    expect((await postZalo(h.product.app!, raw, { signature: `mac=${'0'.repeat(64)}` })).statusCode).toBe(401);
    expect((await postZalo(h.product.app!, raw, { signature: zaloMac(raw, body.app_id, body.timestamp) })).statusCode).toBe(401); // no "mac="
    // Signed with the wrong key (the app secret instead of the OA secret key).
    expect((await postZalo(h.product.app!, raw, { signature: `mac=${zaloMac(raw, body.app_id, body.timestamp, ZALO_TEST.appSecretKey)}` })).statusCode).toBe(401);
    // The same JSON, re-serialised: the signature covered other bytes.
    const pretty = JSON.stringify(body, null, 2);
    expect((await postZalo(h.product.app!, pretty, { signedRaw: raw })).statusCode).toBe(401);
    // Correctly signed, but too old or from the future (replays).
    const maxAge = h.product.config.zalo!.webhookMaxAgeSeconds * 1000;
    expect((await postZalo(h.product.app!, zaloEvent.text(userId, code, { at: Date.now() - maxAge - 5_000 }))).statusCode).toBe(401);
    expect((await postZalo(h.product.app!, zaloEvent.text(userId, code, { at: Date.now() + maxAge + 5_000 }))).statusCode).toBe(401);
    // Correctly signed by someone with our key, for another app.
    expect((await postZalo(h.product.app!, { ...body, app_id: '1111111111111111111' })).statusCode).toBe(401);

    await expectNothingRecorded(userId);
    const metrics = (await h.product.app!.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/sipas_webhook_updates_total\{channel="zalo",outcome="unauthorized"\} 9/);
  });

  it('a signed body that is not a valid event → 200, ignored (Zalo would retry a 4xx for ever), nothing recorded', async () => {
    const userId = newUser();
    // An id as a JSON number (it would already have lost digits when parsed).
    const bad = JSON.stringify(zaloEvent.text(userId, 'x')).replace(`"sender":{"id":"${userId}"}`, `"sender":{"id":${userId}}`);
    expect(bad).toContain(`{"id":${userId}}`);
    const res = await postZalo(h.product.app!, bad);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ignored: 'invalid event' });
    expect((await postZalo(h.product.app!, '{"app_id":"3046245463451262081","timestamp":"' + Date.now() + '"}')).statusCode).toBe(200);
    await expectNothingRecorded(userId);
  });

  it('OA echoes and delivery receipts → 200, ignored', async () => {
    const userId = newUser();
    for (const body of [zaloEvent.oaEcho(userId), zaloEvent.seen(userId)]) {
      const res = await postZalo(h.product.app!, body);
      expect(res.statusCode).toBe(200);
    }
    await expectNothingRecorded(userId);
  });
});

describe('deduplication on message.msg_id', () => {
  it('a delivery retried (sequentially and concurrently) is applied once', async () => {
    const { id, code } = await h.invite();
    const userId = newUser();
    const start = zaloEvent.text(userId, code, { msgId: 'dup-start-1' });
    const first = await postZalo(h.product.app!, start);
    expect(first.statusCode).toBe(200);
    await waitForCs(h.fake, userId, 0);
    expect((await postZalo(h.product.app!, start)).statusCode).toBe(200);
    const consent = zaloEvent.text(userId, '1', { msgId: 'dup-consent-1' });
    const answers = await Promise.all([1, 2, 3].map(() => postZalo(h.product.app!, consent)));
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    await waitForCs(h.fake, userId, 1);
    // The first question's answer, delivered three times, each time with a new timestamp.
    const answer = (at: number) => zaloEvent.text(userId, '2', { msgId: 'dup-answer-1', at });
    for (const at of [Date.now(), Date.now() + 10, Date.now() + 20]) expect((await postZalo(h.product.app!, answer(at))).statusCode).toBe(200);
    await waitForCs(h.fake, userId, 2);
    await new Promise((r) => setTimeout(r, 200));

    const texts = csTo(h.fake, userId).map((c) => String(c.body.message.text));
    expect(texts).toHaveLength(3);
    expect(texts[1]).toMatch(/^Câu 1\//m);
    expect(texts[2]).toMatch(/^Câu 2\//m);
    const env = await h.product.services.conversations.store.load({ channel: 'zalo', userRef: userId });
    expect(env.v).toBe(3);
    const stored = await waitUntil(async () => {
      const rows = await h.product.db.prisma.answer.findMany({ where: { response: { invitationId: id } } });
      return rows.length ? rows : undefined;
    }, 'answer stored');
    expect(stored).toHaveLength(1);
    const metrics = (await h.product.app!.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/sipas_webhook_updates_total\{channel="zalo",outcome="duplicate"\} 5/);
    expect(h.fake.callsTo(FAKE_ZALO_PATHS.cs).filter((c) => c.body.recipient.user_id === userId)).toHaveLength(3);
  });

  it('a captured signed event replayed inside the signature window, after 48 newer events, is not applied again', async () => {
    const { code } = await h.invite();
    const userId = newUser();
    expect((await postZalo(h.product.app!, zaloEvent.text(userId, code, { msgId: 'replay-start' }))).statusCode).toBe(200);
    const captured = JSON.stringify(zaloEvent.text(userId, '/help', { msgId: 'replay-target' }));
    expect((await postZalo(h.product.app!, captured)).statusCode).toBe(200);
    // Enough newer events to push the captured one out of the session's own list of seen events.
    for (let i = 0; i < 50; i++) expect((await postZalo(h.product.app!, zaloEvent.text(userId, '/help', { msgId: `replay-filler-${i}` }))).statusCode).toBe(200);
    const before = await h.product.services.conversations.store.load({ channel: 'zalo', userRef: userId });
    expect(before.seen).not.toContain('zalo:msg:replay-target');
    const replay = await postZalo(h.product.app!, captured);
    expect(replay.statusCode).toBe(200);
    const after = await h.product.services.conversations.store.load({ channel: 'zalo', userRef: userId });
    expect(after.v).toBe(before.v);
  });
});
