import { describe, expect, it } from 'vitest';
import { useTelegramProduct } from '../../support/telegram-harness.js';
import { keyboardOf, waitForNewMessages } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { waitUntil } from '../../support/wait-until.js';

// The product's clock is moved ahead to let days pass.
const h = useTelegramProduct({ firstChatId: 8_000_000 });
const { startSurvey, clock } = h;

describe('outbound delivery', () => {
  it('honours a 429 retry_after and still delivers, in order, without repeating sent messages', async () => {
    const { chatId, seen } = await startSurvey();
    h.fake.fail({ method: 'sendMessage', chatId, errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const t0 = Date.now();
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '1'));
    const sent = await waitForNewMessages(h.fake, chatId, seen);
    // The first attempt hit the 429; the retry came after retry_after.
    const attempts = h.fake.callsTo('sendMessage', chatId).slice(seen);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(String(sent.at(-1)!.body.text)).toMatch(/^Câu 2\//);
  });

  it('treats "message is not modified" as done', async () => {
    const { chatId, seen } = await startSurvey();
    h.fake.fail({ method: 'editMessageReplyMarkup', errorCode: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same', times: 1 });
    const q = keyboardOf(h.fake.callsTo('sendMessage', chatId).at(-1)!).find((b) => b.callback_data.startsWith('a:'))!.callback_data.split(':')[1];
    await postUpdate(h.product.app!, tgUpdate.callback(chatId, `a:${q}:5`, 10));
    await waitForNewMessages(h.fake, chatId, seen);
    const failed = await h.product.ctx.queues.queue('outbound-telegram').getJobCounts('failed', 'delayed');
    expect(failed).toEqual({ failed: 0, delayed: 0 });
  });
});

describe('pause, reminders and lost sessions', () => {
  it('sends a reminder when the scheduled timer fires, re-asking the current question', async () => {
    const { chatId, seen } = await startSurvey();
    const reminders = h.product.ctx.queues.queue('reminders');
    const mine = async () => (await reminders.getDelayed()).filter((j) => j.data.userRef === String(chatId));
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '1'));
    await waitForNewMessages(h.fake, chatId, seen);
    // Answering replaced the earlier timer: one pending reminder per conversation.
    await new Promise((r) => setTimeout(r, 300));
    const pending = await mine();
    expect(pending).toHaveLength(1);
    const delayed = pending[0]!;
    expect(delayed.delay).toBeGreaterThanOrEqual(23 * 3600_000);
    clock.offsetMs = 25 * 3600_000;
    const before = h.fake.callsTo('sendMessage', chatId).length;
    await delayed.promote();
    const sent = await waitForNewMessages(h.fake, chatId, before);
    clock.offsetMs = 0;
    const texts = sent.slice(before).map((c) => String(c.body.text));
    expect(texts.join('\n')).toContain('khảo sát đang làm dở');
    expect(texts.join('\n')).toMatch(/Câu 2\//);
    await waitUntil(async () => (await h.product.db.prisma.outboundMessage.count({ where: { kind: 'reminder', recipient: String(chatId), status: 'sent' } })) === 1, 'reminder logged');
    // The next timer (the second reminder) is scheduled, still only one.
    await waitUntil(async () => (await mine()).length === 1 && (await mine())[0]!.id !== delayed.id, 'next timer');
  });

  it('no reminder after the citizen finishes or stops', async () => {
    const { chatId, seen } = await startSurvey();
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '/stop'));
    await waitForNewMessages(h.fake, chatId, seen);
    await waitUntil(async () => (await h.product.db.prisma.respondent.findFirst({ where: { externalId: String(chatId) } }))?.optedOutAt ?? undefined, 'opted out stored');
    const jobs = (await h.product.ctx.queues.queue('reminders').getDelayed()).filter((j) => j.data.userRef === String(chatId));
    expect(jobs).toHaveLength(0);
  });

  it('rebuilds a session lost from Redis out of PostgreSQL and resumes at the next question', async () => {
    const { chatId, inv, seen } = await startSurvey();
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '1'));
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '1'));
    await waitForNewMessages(h.fake, chatId, seen + 1);
    await waitUntil(async () => (await h.product.db.prisma.answer.count({ where: { response: { invitationId: inv.id } } })) === 2, 'two answers stored');
    const before = h.fake.callsTo('sendMessage', chatId).length;
    await h.product.services.conversations.store.delete({ channel: 'telegram', userRef: String(chatId) });

    const res = await postUpdate(h.product.app!, tgUpdate.text(chatId, '1'));
    expect(res.statusCode, res.body).toBe(200);
    const sent = await waitForNewMessages(h.fake, chatId, before);
    expect(String(sent.at(-1)!.body.text)).toMatch(/^Câu 4\//);
    const answers = await waitUntil(async () => {
      const a = await h.product.db.prisma.answer.findMany({ where: { response: { invitationId: inv.id } }, orderBy: { seq: 'asc' } });
      return a.length === 3 ? a : undefined;
    }, 'third answer stored');
    expect(answers.map((a) => a.questionCode)).toEqual(['respondent_type', 'gender', 'age_band']);
    expect(new Set(answers.map((a) => a.seq)).size).toBe(3);
  });
});
