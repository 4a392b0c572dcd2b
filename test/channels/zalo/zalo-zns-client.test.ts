import { describe, expect, it } from 'vitest';
import { ZaloZnsClient } from '../../../src/channels/zalo/zalo-zns-client.js';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { captureLogger, useZaloScenarios } from './zalo-test-kit.js';

const env = useZaloScenarios();

async function setup() {
  const s = await env.scenario();
  const logger = captureLogger();
  const client = new ZaloZnsClient({ znsBase: s.config.znsBase, tokens: s.manager({ logger }), logger });
  return { ...s, client, logger };
}

const message = (phone: string) => ({
  phone,
  templateId: '231456',
  templateData: { survey_code: 'K7Q2MX', unit_name: 'UBND phường Điện Biên' },
  trackingId: '0b5c7d0e-3f6a-4a53-9b8e-2c8f0d1e4a77',
});

describe('ZaloZnsClient.sendTemplate', () => {
  it('posts the template with the phone normalised to 84… and the access token header', async () => {
    const { client, fake, seed } = await setup();
    const r = await client.sendTemplate(message('0912 345 678'));
    expect(r.ok).toBe(true);
    const calls = fake.callsTo(FAKE_ZALO_PATHS.zns);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers['access_token']).toBe(seed.accessToken);
    expect(calls[0]?.body).toEqual({
      phone: '84912345678',
      template_id: '231456',
      template_data: { survey_code: 'K7Q2MX', unit_name: 'UBND phường Điện Biên' },
      tracking_id: '0b5c7d0e-3f6a-4a53-9b8e-2c8f0d1e4a77',
    });
    expect(r.ok && r.msgId).toBe((calls[0]?.response.data as { msg_id: string }).msg_id);
  });

  it('-108 → undeliverable bad_phone; -118 → undeliverable no_zalo_account', async () => {
    const { client, fake, logger } = await setup();
    fake.failForPhone('84912345678', -108);
    fake.failForPhone('84987654321', -118);
    expect(await client.sendTemplate(message('+84912345678'))).toEqual({
      ok: false,
      failure: { kind: 'undeliverable', code: -108, reason: 'bad_phone', message: 'Phone number is invalid' },
    });
    expect(await client.sendTemplate(message('0987 654 321'))).toMatchObject({
      ok: false,
      failure: { kind: 'undeliverable', code: -118, reason: 'no_zalo_account' },
    });
    const logged = JSON.stringify(logger.lines);
    expect(logged).not.toContain('912345678');
    expect(logged).not.toContain('987654321');
  });

  it('refuses an invalid phone locally, without calling Zalo', async () => {
    const { client, fake } = await setup();
    expect(await client.sendTemplate(message('12345'))).toMatchObject({
      ok: false,
      failure: { kind: 'undeliverable', code: null, reason: 'bad_phone' },
    });
    expect(fake.calls).toHaveLength(0);
  });

  it('-124 (ZNS token error) refreshes once and retries', async () => {
    const { client, fake } = await setup();
    fake.expireAccessTokens();
    const results = await Promise.all([client.sendTemplate(message('0912345678')), client.sendTemplate(message('0912345679'))]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.callsTo(FAKE_ZALO_PATHS.zns).filter((c) => c.response.error === -124)).toHaveLength(2);
    expect(fake.callsTo(FAKE_ZALO_PATHS.oauth)).toHaveLength(1);
  });

  it('-32 → rate_limited; an unknown code → retryable', async () => {
    const { client, fake } = await setup();
    fake.failNext(-32, { path: FAKE_ZALO_PATHS.zns });
    expect(await client.sendTemplate(message('0912345678'))).toMatchObject({ ok: false, failure: { kind: 'rate_limited', code: -32 } });
    fake.failNext(-1234, { path: FAKE_ZALO_PATHS.zns });
    expect(await client.sendTemplate(message('0912345678'))).toMatchObject({ ok: false, failure: { kind: 'retryable', code: -1234 } });
  });
});
