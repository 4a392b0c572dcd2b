import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../../support/fake-telegram-server.js';
import { adminHeaders, startProduct, TEST_ADMIN_KEY, TEST_TG_SECRET, TEST_TG_TOKEN, type Product } from '../../support/start-product.js';
import { driveSurvey } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { waitUntil } from '../../support/wait-until.js';

let fake: FakeTelegramServer;
let product: Product;
const logLines: string[] = [];

beforeAll(async () => {
  fake = await new FakeTelegramServer().start();
  product = await startProduct({ TELEGRAM_API_ROOT: fake.url }, { logLines });
  await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }] });
});
afterAll(async () => {
  await product?.stop();
  await fake?.close();
});

describe('logs at trace level carry no secrets and no personal data', () => {
  it('a full survey, an invitation with a phone and a dossier, failures and bad requests leave nothing identifying in the logs', async () => {
    const chatId = 4_812_345_678;
    const phone = '0912345678';
    const dossier = 'H12.22-241122-000123';
    const inv = (await product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'telegram', dossierCode: dossier, recipient: { phone, telegramChatId: String(chatId) } } })).json();
    await waitUntil(() => fake.callsTo('sendMessage', chatId)[0], 'invitation sent');
    // A failing Bot API call (retried) must not leak either: a refused question, sent again by the retry.
    fake.fail({ method: 'sendMessage', chatId, errorCode: 500, description: 'Internal Server Error', times: 1 });
    await driveSurvey(product.app!, fake, chatId, `/start ${inv.token}`);
    await postUpdate(product.app!, tgUpdate.text(chatId, 'x'), 'wrong-secret');
    await product.app!.inject({ method: 'GET', url: '/api/v1/reports/index', headers: { authorization: 'Bearer sk_bad' } });
    await waitUntil(async () => (await product.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.status === 'completed', 'completed').catch(async (err: unknown) => {
      console.log(logLines.filter((l) => /"level":[456]0/.test(l)).join('\n'));
      console.log('DIAG', JSON.stringify(await product.db.prisma.invitation.findUnique({ where: { id: inv.id }, select: { status: true, openedAt: true, startedAt: true } })), JSON.stringify(await product.db.prisma.response.findMany({ select: { status: true, invitationId: true, _count: { select: { answers: true } } } })), JSON.stringify(await product.ctx.queues.queue('answers').getJobCounts()));
      throw err;
    });

    const all = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [String(chatId), phone, '84912345678', dossier, inv.token, inv.code, TEST_TG_TOKEN, TEST_TG_SECRET, TEST_ADMIN_KEY, 'Cán bộ nhiệt tình']) {
      expect(all, `log contains ${secret}`).not.toContain(secret);
    }
  }, 180_000);
});
