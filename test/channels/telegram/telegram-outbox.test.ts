import { describe, expect, it } from 'vitest';
import { useTelegramProduct } from '../../support/telegram-harness.js';
import { waitForNewMessages } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { waitUntil } from '../../support/wait-until.js';

const h = useTelegramProduct({ firstChatId: 7_500_000 });
let chatSeq = 7_600_000;

describe('outbox hand-over', () => {
  it('a reply is sent once even after its finished job was cleaned from Redis', async () => {
    const { chatId, seen } = await h.startSurvey();
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '1'));
    await waitForNewMessages(h.fake, chatId, seen);
    const queue = h.product.ctx.queues.queue('outbound-telegram');
    await waitUntil(async () => (await queue.getJobCounts('waiting', 'active')).waiting === 0, 'outbound drained');
    await queue.clean(0, 10_000, 'completed');
    const before = h.fake.callsTo('sendMessage', chatId).length;
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '1'));
    await waitForNewMessages(h.fake, chatId, before);
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.callsTo('sendMessage', chatId).length).toBe(before + 1);
  });

  it('an invitation token that happens to start with "u_" still opens its invitation', async () => {
    const inv = await h.invite({ dossierCode: `U-${chatSeq}` });
    const token = `u_${inv.token.slice(2)}`;
    await h.product.db.prisma.invitation.update({ where: { id: inv.id }, data: { token } });
    const chatId = chatSeq++;
    await postUpdate(h.product.app!, tgUpdate.text(chatId, `/start ${token}`));
    await waitForNewMessages(h.fake, chatId, 0);
    expect(String(h.fake.callsTo('sendMessage', chatId).at(-1)!.body.text)).toContain('Sở Nội vụ');
    await waitUntil(async () => (await h.product.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.openedAt ?? undefined, 'opened');
  });
});
