import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../../support/fake-telegram-server.js';
import { adminHeaders, startProduct, type Product } from '../../support/start-product.js';
import { waitForNewMessages } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { waitUntil } from '../../support/wait-until.js';

let fake: FakeTelegramServer;
let product: Product;
let chatSeq = 7_500_000;

beforeAll(async () => {
  fake = await new FakeTelegramServer().start();
  product = await startProduct({ TELEGRAM_API_ROOT: fake.url });
  await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }] });
});
afterAll(async () => {
  await product?.stop();
  await fake?.close();
});

async function invite(dossierCode: string) {
  const res = await product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'telegram', dossierCode } });
  return res.json() as { id: string; token: string };
}

async function startSurvey() {
  const chatId = chatSeq++;
  const inv = await invite(`O-${chatId}`);
  await postUpdate(product.app!, tgUpdate.text(chatId, `/start ${inv.token}`));
  await waitForNewMessages(fake, chatId, 0);
  await postUpdate(product.app!, tgUpdate.callback(chatId, 's:consent:yes', 1));
  const sent = await waitForNewMessages(fake, chatId, 1);
  return { chatId, inv, seen: sent.length };
}

describe('outbox hand-over', () => {
  it('a reply is sent once even after its finished job was cleaned from Redis', async () => {
    const { chatId, seen } = await startSurvey();
    await postUpdate(product.app!, tgUpdate.text(chatId, '1'));
    await waitForNewMessages(fake, chatId, seen);
    const queue = product.ctx.queues.queue('outbound-telegram');
    await waitUntil(async () => (await queue.getJobCounts('waiting', 'active')).waiting === 0, 'outbound drained');
    await queue.clean(0, 10_000, 'completed');
    const before = fake.callsTo('sendMessage', chatId).length;
    await postUpdate(product.app!, tgUpdate.text(chatId, '1'));
    await waitForNewMessages(fake, chatId, before);
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.callsTo('sendMessage', chatId).length).toBe(before + 1);
  });

  it('an invitation token that happens to start with "u_" still opens its invitation', async () => {
    const inv = await invite(`U-${chatSeq}`);
    const token = `u_${inv.token.slice(2)}`;
    await product.db.prisma.invitation.update({ where: { id: inv.id }, data: { token } });
    const chatId = chatSeq++;
    await postUpdate(product.app!, tgUpdate.text(chatId, `/start ${token}`));
    await waitForNewMessages(fake, chatId, 0);
    expect(String(fake.callsTo('sendMessage', chatId).at(-1)!.body.text)).toContain('Sở Nội vụ');
    await waitUntil(async () => (await product.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.openedAt ?? undefined, 'opened');
  });
});
