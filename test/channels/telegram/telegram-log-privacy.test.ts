import { describe, expect, it } from 'vitest';
import { TEST_ADMIN_KEY, TEST_TG_SECRET, TEST_TG_TOKEN } from '../../support/start-product.js';
import { useTelegramProduct } from '../../support/telegram-harness.js';
import { driveSurvey } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { waitUntil } from '../../support/wait-until.js';

const logLines: string[] = [];
const h = useTelegramProduct({ firstChatId: 4_800_000_000, logLines });

describe('logs at trace level carry no secrets and no personal data', () => {
  it('a full survey, an invitation with a phone and a dossier, failures and bad requests leave nothing identifying in the logs', async () => {
    const chatId = 4_812_345_678;
    const phone = '0912345678';
    const dossier = 'H12.22-241122-000123';
    const inv = await h.invite({ dossierCode: dossier, recipient: { phone, telegramChatId: String(chatId) } });
    await waitUntil(() => h.fake.callsTo('sendMessage', chatId)[0], 'invitation sent');
    // A failing Bot API call (retried) must not leak either: a refused question, sent again by the retry.
    h.fake.fail({ method: 'sendMessage', chatId, errorCode: 500, description: 'Internal Server Error', times: 1 });
    await driveSurvey(h.product.app!, h.fake, chatId, `/start ${inv.token}`);
    await postUpdate(h.product.app!, tgUpdate.text(chatId, 'x'), 'wrong-secret');
    await h.product.app!.inject({ method: 'GET', url: '/api/v1/reports/index', headers: { authorization: 'Bearer sk_bad' } });
    await waitUntil(async () => (await h.product.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.status === 'completed', 'completed');

    const all = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const secret of [String(chatId), phone, '84912345678', dossier, inv.token, inv.code, TEST_TG_TOKEN, TEST_TG_SECRET, TEST_ADMIN_KEY, 'Cán bộ nhiệt tình']) {
      expect(all, `log contains ${secret}`).not.toContain(secret);
    }
  }, 180_000);
});
