import { describe, expect, it } from 'vitest';
import { zaloTokenUpkeepJob } from '../../../src/queues/job-catalog.js';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { builtinDefinition, SCRIPT_COMMENT } from '../../support/survey-script.js';
import { waitUntil } from '../../support/wait-until.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { driveZaloSurvey } from '../../support/zalo-survey-driver.js';
import { postZalo, ZALO_TEST, zaloEvent } from '../../support/zalo-webhook-events.js';

const logLines: string[] = [];
// The test waits for the first token refresh itself: its log lines are part of what is checked.
const h = useZaloProduct({ firstUserId: 8_910_000_000_000_000_000n, dossierPrefix: 'LOG', env: { ZALO_BUTTONS: 'true' }, logLines, tokenReady: false });
/** Every token that crossed the wire to the fake Zalo, in either direction. */
const tokensSeen = () => {
  const tokens = new Set<string>();
  for (const c of h.fake.calls) {
    if (typeof c.headers['access_token'] === 'string') tokens.add(c.headers['access_token']);
    for (const v of [c.body?.refresh_token, c.response.access_token, c.response.refresh_token]) if (typeof v === 'string') tokens.add(v);
  }
  return [...tokens];
};

describe('Zalo logs at trace level', () => {
  it('a survey, ZNS and CS invitations, token refreshes and failures leave no id, phone, code, token or secret in the logs', async () => {
    await waitUntil(async () => ((await h.product.db.prisma.zaloToken.findFirst())?.version ?? 0) >= 1, 'first token upkeep');
    const userId = '8912345678901234567';
    const silentUser = '8912345678901234568';
    const phone = '0912 345 678';
    const byPhone = await h.invite({ dossierCode: 'LOG-1', recipient: { phone } });
    h.fake.failForUser(silentUser, -230);
    const bySilent = await h.invite({ dossierCode: 'LOG-2', recipient: { zaloUserId: silentUser, phone: '0987654321' } });
    await waitUntil(async () => (await h.product.db.prisma.invitation.count({ where: { status: 'sent' } })) === 2, 'both sent by ZNS');

    h.fake.expireAccessTokens();
    h.fake.failNext(-999, { path: FAKE_ZALO_PATHS.cs });
    await driveZaloSurvey({ app: h.product.app!, fake: h.fake, userId, def: builtinDefinition('sipas-2017'), startText: byPhone.code, mode: (i) => (['payload', 'number', 'label'] as const)[i % 3]! });
    expect((await postZalo(h.product.app!, zaloEvent.text(userId, 'x'), { signature: `mac=${'1'.repeat(64)}` })).statusCode).toBe(401);
    h.fake.failNext(-14014, { path: FAKE_ZALO_PATHS.oauth });
    await h.product.ctx.queues.add(zaloTokenUpkeepJob, { marginMs: 30 * 3600_000 });
    await waitUntil(async () => (await h.product.db.prisma.zaloToken.findFirst())?.lastError ?? undefined, 'refresh failure');
    // The worker logs the failure after recording it.
    await waitUntil(() => logLines.some((l) => l.includes('zalo.token_upkeep_failed')), 'failure logged');

    const all = logLines.join('\n');
    expect(tokensSeen().length).toBeGreaterThanOrEqual(5);
    // The log did record what happened.
    for (const event of ['zalo.token_refreshed', 'zalo.token_rejected', 'zalo.cs_send_failed', 'zalo.webhook_refused', 'zalo.token_upkeep_failed']) expect(all).toContain(event);
    const row = await h.product.db.prisma.zaloToken.findFirstOrThrow();
    const secrets = [
      userId, silentUser, phone, '0912345678', '84912345678', '84987654321', byPhone.code, byPhone.token, bySilent.code, bySilent.token,
      ZALO_TEST.oaSecretKey, ZALO_TEST.appSecretKey, ZALO_TEST.accessToken, ZALO_TEST.refreshToken, row.accessToken, row.refreshToken,
      ...tokensSeen(), SCRIPT_COMMENT, 'Cán bộ nhiệt tình',
    ];
    for (const secret of secrets) expect(all, `log contains ${secret}`).not.toContain(secret);
  });
});
