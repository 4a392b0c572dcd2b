import { beforeAll, describe, expect, it } from 'vitest';
import { useTelegramProduct } from '../../support/telegram-harness.js';
import { keyboardOf, waitForNewMessages } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { SNV, XTP } from '../../support/units.js';
import { waitUntil } from '../../support/wait-until.js';

// Two communes named "Tân …", so a typed "xa tan" is ambiguous.
const h = useTelegramProduct({ firstChatId: 6_100_001, units: [XTP, { code: 'XTH', name: 'UBND xã Tân Hòa', group: 'commune' }, SNV] });
beforeAll(async () => {
  await h.product.services.conversations.units.refresh();
});

const lastText = (chatId: number) => String(h.fake.callsTo('sendMessage', chatId).at(-1)!.body.text);

describe('open surveys (QR at the counter, bare /start)', () => {
  it('a unit QR payload u_<unit> skips the unit question and records the answers for that unit', async () => {
    const chatId = 6_100_001;
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '/start u_XTP'));
    await waitForNewMessages(h.fake, chatId, 0);
    expect(lastText(chatId)).toContain('UBND xã Tân Phong');
    await postUpdate(h.product.app!, tgUpdate.callback(chatId, 's:consent:yes', 1));
    await waitForNewMessages(h.fake, chatId, 1);
    expect(lastText(chatId)).toMatch(/^Câu 1\//);
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '1'));
    const response = await waitUntil(async () => h.product.db.prisma.response.findFirst({ where: { unit: { code: 'XTP' } }, include: { answers: true } }).then((r) => (r?.answers.length ? r : undefined)), 'answer stored');
    expect(response.invitationId).toBeNull();
  });

  it('a bare /start asks which unit; an ambiguous name offers choices', async () => {
    const chatId = 6_100_002;
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '/start'));
    await waitForNewMessages(h.fake, chatId, 0);
    await postUpdate(h.product.app!, tgUpdate.callback(chatId, 's:consent:yes', 1));
    let sent = await waitForNewMessages(h.fake, chatId, 1);
    expect(lastText(chatId)).toContain('cơ quan, đơn vị nào');
    // Typed without diacritics: both communes match.
    await postUpdate(h.product.app!, tgUpdate.text(chatId, 'xa tan'));
    sent = await waitForNewMessages(h.fake, chatId, sent.length);
    const options = keyboardOf(sent.at(-1)!).map((b) => b.text);
    expect(options.join('|')).toContain('UBND xã Tân Phong');
    expect(options.join('|')).toContain('UBND xã Tân Hòa');
    const hoa = keyboardOf(sent.at(-1)!).find((b) => b.text.includes('Tân Hòa'))!;
    await postUpdate(h.product.app!, tgUpdate.callback(chatId, hoa.callback_data, 2));
    await waitForNewMessages(h.fake, chatId, sent.length);
    expect(h.fake.callsTo('sendMessage', chatId).map((c) => String(c.body.text)).join('\n')).toMatch(/Câu 1\//);
  });
});
