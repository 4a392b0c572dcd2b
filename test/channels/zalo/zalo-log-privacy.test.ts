import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zaloTokenUpkeepJob } from '../../../src/queues/job-catalog.js';
import { FAKE_ZALO_PATHS, createFakeZaloServer, type FakeZaloServer } from '../../support/fake-zalo-server.js';
import { adminHeaders, startProduct, type Product } from '../../support/start-product.js';
import { builtinDefinition, SCRIPT_COMMENT } from '../../support/survey-script.js';
import { waitUntil } from '../../support/wait-until.js';
import { driveZaloSurvey } from '../../support/zalo-survey-driver.js';
import { postZalo, ZALO_TEST, zaloEnv, zaloEvent } from '../../support/zalo-webhook-events.js';

let fake: FakeZaloServer;
let product: Product;
const logLines: string[] = [];
/** Every token that crossed the wire to the fake Zalo, in either direction. */
const tokensSeen = () => {
  const tokens = new Set<string>();
  for (const c of fake.calls) {
    if (typeof c.headers['access_token'] === 'string') tokens.add(c.headers['access_token']);
    for (const v of [c.body?.refresh_token, c.response.access_token, c.response.refresh_token]) if (typeof v === 'string') tokens.add(v);
  }
  return [...tokens];
};

beforeAll(async () => {
  fake = await createFakeZaloServer({ appId: ZALO_TEST.appId, appSecretKey: ZALO_TEST.appSecretKey, accessToken: ZALO_TEST.accessToken, refreshToken: ZALO_TEST.refreshToken });
  product = await startProduct(zaloEnv(fake.url, { ZALO_BUTTONS: 'true' }), { logLines });
  await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }] });
});
afterAll(async () => {
  await product?.stop();
  await fake?.close();
});

const invite = async (dossierCode: string, recipient: Record<string, string>) =>
  (await product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'zalo', dossierCode, recipient } })).json() as { id: string; code: string; token: string };

describe('Zalo logs at trace level', () => {
  it('a survey, ZNS and CS invitations, token refreshes and failures leave no id, phone, code, token or secret in the logs', async () => {
    await waitUntil(async () => ((await product.db.prisma.zaloToken.findFirst())?.version ?? 0) >= 1, 'first token upkeep');
    const userId = '8912345678901234567';
    const silentUser = '8912345678901234568';
    const phone = '0912 345 678';
    const byPhone = await invite('LOG-1', { phone });
    fake.failForUser(silentUser, -230);
    const bySilent = await invite('LOG-2', { zaloUserId: silentUser, phone: '0987654321' });
    await waitUntil(async () => (await product.db.prisma.invitation.count({ where: { status: 'sent' } })) === 2, 'both sent by ZNS');

    fake.expireAccessTokens();
    fake.failNext(-999, { path: FAKE_ZALO_PATHS.cs });
    await driveZaloSurvey({ app: product.app!, fake, userId, def: builtinDefinition('sipas-2017'), startText: byPhone.code, mode: (i) => (['payload', 'number', 'label'] as const)[i % 3]! });
    expect((await postZalo(product.app!, zaloEvent.text(userId, 'x'), { signature: `mac=${'1'.repeat(64)}` })).statusCode).toBe(401);
    fake.failNext(-14014, { path: FAKE_ZALO_PATHS.oauth });
    await product.ctx.queues.add(zaloTokenUpkeepJob, { marginMs: 30 * 3600_000 });
    await waitUntil(async () => (await product.db.prisma.zaloToken.findFirst())?.lastError ?? undefined, 'refresh failure');
    // The worker logs the failure after recording it.
    await waitUntil(() => logLines.some((l) => l.includes('zalo.token_upkeep_failed')), 'failure logged');

    const all = logLines.join('\n');
    expect(tokensSeen().length).toBeGreaterThanOrEqual(5);
    // The log did record what happened.
    for (const event of ['zalo.token_refreshed', 'zalo.token_rejected', 'zalo.cs_send_failed', 'zalo.webhook_refused', 'zalo.token_upkeep_failed']) expect(all).toContain(event);
    const row = await product.db.prisma.zaloToken.findFirstOrThrow();
    const secrets = [
      userId, silentUser, phone, '0912345678', '84912345678', '84987654321', byPhone.code, byPhone.token, bySilent.code, bySilent.token,
      ZALO_TEST.oaSecretKey, ZALO_TEST.appSecretKey, ZALO_TEST.accessToken, ZALO_TEST.refreshToken, row.accessToken, row.refreshToken,
      ...tokensSeen(), SCRIPT_COMMENT, 'Cán bộ nhiệt tình',
    ];
    for (const secret of secrets) expect(all, `log contains ${secret}`).not.toContain(secret);
  });
});
