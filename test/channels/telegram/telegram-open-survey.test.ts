import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../../support/fake-telegram-server.js';
import { adminHeaders, startProduct, type Product } from '../../support/start-product.js';
import { keyboardOf, waitForNewMessages } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { waitUntil } from '../../support/wait-until.js';

let fake: FakeTelegramServer;
let product: Product;

beforeAll(async () => {
  fake = await new FakeTelegramServer().start();
  product = await startProduct({ TELEGRAM_API_ROOT: fake.url });
  await product.app!.inject({
    method: 'PUT', url: '/api/v1/units', headers: adminHeaders,
    payload: [{ code: 'XTP', name: 'UBND xã Tân Phong', group: 'commune' }, { code: 'XTH', name: 'UBND xã Tân Hòa', group: 'commune' }, { code: 'SNV', name: 'Sở Nội vụ', group: 'department' }],
  });
  await product.services.conversations.units.refresh();
});
afterAll(async () => {
  await product?.stop();
  await fake?.close();
});

const lastText = (chatId: number) => String(fake.callsTo('sendMessage', chatId).at(-1)!.body.text);

describe('open surveys (QR at the counter, bare /start)', () => {
  it('a unit QR payload u_<unit> skips the unit question and records the answers for that unit', async () => {
    const chatId = 6_100_001;
    await postUpdate(product.app!, tgUpdate.text(chatId, '/start u_XTP'));
    await waitForNewMessages(fake, chatId, 0);
    expect(lastText(chatId)).toContain('UBND xã Tân Phong');
    await postUpdate(product.app!, tgUpdate.callback(chatId, 's:consent:yes', 1));
    await waitForNewMessages(fake, chatId, 1);
    expect(lastText(chatId)).toMatch(/^Câu 1\//);
    await postUpdate(product.app!, tgUpdate.text(chatId, '1'));
    const response = await waitUntil(async () => product.db.prisma.response.findFirst({ where: { unit: { code: 'XTP' } }, include: { answers: true } }).then((r) => (r?.answers.length ? r : undefined)), 'answer stored');
    expect(response.invitationId).toBeNull();
  });

  it('a bare /start asks which unit; an ambiguous name offers choices', async () => {
    const chatId = 6_100_002;
    await postUpdate(product.app!, tgUpdate.text(chatId, '/start'));
    await waitForNewMessages(fake, chatId, 0);
    await postUpdate(product.app!, tgUpdate.callback(chatId, 's:consent:yes', 1));
    let sent = await waitForNewMessages(fake, chatId, 1);
    expect(lastText(chatId)).toContain('cơ quan, đơn vị nào');
    // Typed without diacritics: both communes match.
    await postUpdate(product.app!, tgUpdate.text(chatId, 'xa tan'));
    sent = await waitForNewMessages(fake, chatId, sent.length);
    const options = keyboardOf(sent.at(-1)!).map((b) => b.text);
    expect(options.join('|')).toContain('UBND xã Tân Phong');
    expect(options.join('|')).toContain('UBND xã Tân Hòa');
    const hoa = keyboardOf(sent.at(-1)!).find((b) => b.text.includes('Tân Hòa'))!;
    await postUpdate(product.app!, tgUpdate.callback(chatId, hoa.callback_data, 2));
    await waitForNewMessages(fake, chatId, sent.length);
    expect(fake.callsTo('sendMessage', chatId).map((c) => String(c.body.text)).join('\n')).toMatch(/Câu 1\//);
  });
});
