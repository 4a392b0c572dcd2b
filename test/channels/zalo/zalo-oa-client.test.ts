import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { ZaloOaClient } from '../../../src/channels/zalo/zalo-oa-client.js';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { captureLogger, useZaloScenarios } from './zalo-test-kit.js';

const env = useZaloScenarios();

const USER = '2512523625412515';

async function setup(now?: () => number) {
  const s = await env.scenario();
  const logger = captureLogger();
  const tokens = s.manager({ logger });
  const client = new ZaloOaClient({ openApiBase: s.config.openApiBase, tokens, logger, ...(now ? { now } : {}) });
  return { ...s, tokens, client, logger };
}

describe('ZaloOaClient.sendText', () => {
  it('posts a CS text message with the access token header', async () => {
    const { client, fake, seed } = await setup();
    const r = await client.sendText(USER, 'Câu 1/22: Ông/bà đánh giá thế nào?');
    expect(r.ok).toBe(true);
    const [call] = fake.callsTo(FAKE_ZALO_PATHS.cs);
    expect(call?.headers['access_token']).toBe(seed.accessToken);
    expect(call?.body).toEqual({ recipient: { user_id: USER }, message: { text: 'Câu 1/22: Ông/bà đánh giá thế nào?' } });
    expect(r.ok && r.messageIds).toEqual([(call?.response.data as { message_id: string }).message_id]);
  });

  it('splits long text into ordered parts of at most 2,000 characters', async () => {
    const { client, fake } = await setup();
    const text = Array.from({ length: 100 }, (_, i) => `${i + 1}. Ý kiến góp ý số ${i + 1} về thủ tục hành chính`).join('\n');
    const r = await client.sendText(USER, text);
    const texts = fake.callsTo(FAKE_ZALO_PATHS.cs).map((c) => (c.body as { message: { text: string } }).message.text);
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(2000);
    expect(texts.join('\n')).toBe(text);
    expect(r.ok && r.messageIds).toHaveLength(texts.length);
  });

  it('attaches oa.query.hide buttons carrying payloads to the last part', async () => {
    const { client, fake } = await setup();
    const buttons = [
      { title: '5. Rất hài lòng', payload: 'q:1.1:5' },
      { title: 'x'.repeat(150), payload: 'q:1.1:na', type: 'oa.query.show' as const },
    ];
    await client.sendText(USER, 'Câu hỏi', { buttons });
    expect(fake.callsTo(FAKE_ZALO_PATHS.cs)[0]?.body).toEqual({
      recipient: { user_id: USER },
      message: {
        text: 'Câu hỏi',
        attachment: {
          type: 'template',
          payload: {
            buttons: [
              { title: '5. Rất hài lòng', payload: 'q:1.1:5', type: 'oa.query.hide' },
              { title: `${'x'.repeat(99)}…`, payload: 'q:1.1:na', type: 'oa.query.show' },
            ],
          },
        },
      },
    });
    await expect(client.sendText(USER, 'x', { buttons: [{ title: 't', payload: 'p'.repeat(1001) }] })).rejects.toThrow(RangeError);
    await expect(client.sendText(USER, '  ')).rejects.toThrow(RangeError);
  });

  it('sends a request_user_info card', async () => {
    const { client, fake } = await setup();
    const r = await client.sendRequestUserInfo(USER, { title: 'Chia sẻ số điện thoại', subtitle: 'Để nhận khảo sát của bạn' });
    expect(r.ok).toBe(true);
    expect(fake.callsTo(FAKE_ZALO_PATHS.cs)[0]?.body).toEqual({
      recipient: { user_id: USER },
      message: {
        attachment: {
          type: 'template',
          payload: { template_type: 'request_user_info', elements: [{ title: 'Chia sẻ số điện thoại', subtitle: 'Để nhận khảo sát của bạn' }] },
        },
      },
    });
  });
});

describe('token expiry mid-survey', () => {
  it('refreshes once for 20 sends failing at the same moment; all are delivered; the rotated token is persisted', async () => {
    const { client, fake, oaId, seed } = await setup();
    expect((await client.sendText(USER, 'Câu 1')).ok).toBe(true);
    fake.expireAccessTokens();
    fake.refreshDelayMs = 100;

    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => client.sendText(`${USER}${i}`, `Câu ${i + 2}`)));
    expect(results.every((r) => r.ok)).toBe(true);

    const refreshes = fake.callsTo(FAKE_ZALO_PATHS.oauth);
    expect(refreshes).toHaveLength(1);
    const rejected = fake.callsTo(FAKE_ZALO_PATHS.cs).filter((c) => c.response.error === -216);
    expect(rejected).toHaveLength(20);
    const delivered = fake.delivered(FAKE_ZALO_PATHS.cs);
    expect(delivered).toHaveLength(21);
    const stored = await env.db.prisma.zaloToken.findUniqueOrThrow({ where: { oaId } });
    for (const call of delivered.slice(1)) expect(call.headers['access_token']).toBe(stored.accessToken);
    expect(stored.refreshToken).toBe(fake.currentRefreshToken());
    expect(stored.refreshToken).not.toBe(seed.refreshToken);
    expect(stored.version).toBe(1);
  });

  it('refreshes once across two processes sharing PostgreSQL and Redis', async () => {
    const s = await setup();
    const other = new ZaloOaClient({ openApiBase: s.config.openApiBase, tokens: s.manager() });
    await Promise.all([s.client.sendText(USER, 'a'), other.sendText(USER, 'b')]);
    s.fake.expireAccessTokens();
    s.fake.refreshDelayMs = 100;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? s.client : other).sendText(USER, `m${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(s.fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(1);
  });

  it('-220 also refreshes and retries once', async () => {
    const { client, fake } = await setup();
    fake.failNext(-220, { path: FAKE_ZALO_PATHS.cs });
    expect((await client.sendText(USER, 'x')).ok).toBe(true);
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(1);
    expect(fake.callsTo(FAKE_ZALO_PATHS.cs)).toHaveLength(2);
  });

  it('a token still rejected after the refresh is a token failure, without a second refresh', async () => {
    const { client, fake } = await setup();
    fake.failNext(-216, { path: FAKE_ZALO_PATHS.cs, times: 2 });
    const r = await client.sendText(USER, 'x');
    expect(r).toMatchObject({ ok: false, failure: { kind: 'token', code: -216 }, failedPart: 0 });
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(1);
    expect(fake.callsTo(FAKE_ZALO_PATHS.cs)).toHaveLength(2);
  });

  it('a failed refresh is a token failure and is recorded', async () => {
    const { client, fake, tokens } = await setup();
    fake.expireAccessTokens();
    fake.failNext(-14014, { path: FAKE_ZALO_PATHS.oauth });
    const r = await client.sendText(USER, 'x');
    expect(r).toMatchObject({ ok: false, failure: { kind: 'token', code: -216, message: 'access token refresh failed' } });
    expect((await tokens.status()).lastError).toContain('-14014');
  });
});

describe('error classification on CS sends', () => {
  const NOW = Date.parse('2025-03-10T16:30:00Z'); // 23:30 in Vietnam

  it.each([
    [-32, { kind: 'rate_limited', retryAfterMs: 60_000 }],
    [-234, { kind: 'night', delayMs: 6.5 * 3600_000 }],
    [-230, { kind: 'silent' }],
    [-232, { kind: 'silent' }],
    [-213, { kind: 'unreachable' }],
    [-217, { kind: 'unreachable' }],
    [-244, { kind: 'unreachable' }],
    [-999, { kind: 'retryable' }],
  ])('%i → %o, no refresh', async (code, expected) => {
    const { client, fake, logger } = await setup(() => NOW);
    fake.failForUser(USER, code);
    const r = await client.sendText(USER, 'x');
    expect(r).toMatchObject({ ok: false, failure: { ...expected, code }, messageIds: [] });
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(0);
    expect(logger.lines).toContainEqual(expect.objectContaining({ event: 'zalo.cs_send_failed', code }));
    expect(JSON.stringify(logger.lines)).not.toContain(USER);
  });

  it('the night delay ends at 06:00 Asia/Ho_Chi_Minh', async () => {
    const { client, fake } = await setup(() => NOW);
    fake.failNext(-234);
    const r = await client.sendText(USER, 'x');
    expect(!r.ok && r.failure.kind === 'night' && r.failure.retryAt.toISOString()).toBe('2025-03-10T23:00:00.000Z');
  });

  it('reports the failed part of a split message so a retry resumes there', async () => {
    const { client, fake } = await setup();
    const text = `${'a'.repeat(1500)}\n${'b'.repeat(1500)}\n${'c'.repeat(1500)}`;
    fake.failNext(-32);
    const first = await client.sendText(USER, text);
    expect(first).toMatchObject({ ok: false, failure: { kind: 'rate_limited' }, failedPart: 0, messageIds: [] });
    const r = await client.sendText(USER, text, { skipParts: 1 });
    expect(r.ok && r.messageIds).toHaveLength(2);
    const sent = fake.delivered(FAKE_ZALO_PATHS.cs).map((c) => (c.body as { message: { text: string } }).message.text[0]);
    expect(sent).toEqual(['b', 'c']);
  });

  it('a network failure is retryable', async () => {
    const { client, fake } = await setup();
    await fake.close();
    const r = await client.sendText(USER, 'x');
    expect(r).toMatchObject({ ok: false, failure: { kind: 'retryable', code: null } });
    expect(!r.ok && r.failure.message).toMatch(/^network error/);
  });

  it.each([
    [502, '<html>Bad gateway</html>', { kind: 'retryable', code: null, message: 'HTTP 502' }],
    [429, '', { kind: 'rate_limited', code: null }],
    [200, '<html>maintenance</html>', { kind: 'retryable', code: null, message: 'unexpected response body' }],
    [200, { error: '-32', message: 'Exceeded' }, { kind: 'rate_limited', code: -32 }],
  ])('HTTP %i with %j → %o', async (status, data, failure) => {
    const tokens = { getAccessToken: async () => 'token', refresh: async () => 'token' };
    const http = axios.create({ adapter: async (config) => ({ data, status, statusText: '', headers: {}, config }) });
    const client = new ZaloOaClient({ openApiBase: 'http://127.0.0.1:9', tokens, http });
    expect(await client.sendText(USER, 'x')).toMatchObject({ ok: false, failure });
  });
});
