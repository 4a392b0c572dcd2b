import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../../support/fake-telegram-server.js';
import { adminHeaders, startProduct, type Product } from '../../support/start-product.js';
import { keyboardOf, waitForNewMessages } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { waitUntil } from '../../support/wait-until.js';

let fake: FakeTelegramServer;
let product: Product;
let chatSeq = 8_000_000;
/** The product's clock runs this far ahead of real time (to let days pass). */
let clockOffsetMs = 0;

beforeAll(async () => {
  fake = await new FakeTelegramServer().start();
  product = await startProduct({ TELEGRAM_API_ROOT: fake.url }, { now: () => new Date(Date.now() + clockOffsetMs) });
  await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }] });
});
afterAll(async () => {
  await product?.stop();
  await fake?.close();
});

async function startSurvey() {
  const chatId = chatSeq++;
  const inv = (await product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'telegram', dossierCode: `D-${chatId}` } })).json() as { id: string; token: string };
  await postUpdate(product.app!, tgUpdate.text(chatId, `/start ${inv.token}`));
  await waitForNewMessages(fake, chatId, 0);
  await postUpdate(product.app!, tgUpdate.callback(chatId, 's:consent:yes', 1));
  const sent = await waitForNewMessages(fake, chatId, 1);
  return { chatId, inv, seen: sent.length };
}

describe('outbound delivery', () => {
  it('honours a 429 retry_after and still delivers, in order, without repeating sent messages', async () => {
    const { chatId, seen } = await startSurvey();
    fake.fail({ method: 'sendMessage', chatId, errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const t0 = Date.now();
    await postUpdate(product.app!, tgUpdate.text(chatId, '1'));
    const sent = await waitForNewMessages(fake, chatId, seen);
    // The first attempt hit the 429; the retry came after retry_after.
    const attempts = fake.callsTo('sendMessage', chatId).slice(seen);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(900);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(String(sent.at(-1)!.body.text)).toMatch(/^Câu 2\//);
  });

  it('treats "message is not modified" as done', async () => {
    const { chatId, seen } = await startSurvey();
    fake.fail({ method: 'editMessageReplyMarkup', errorCode: 400, description: 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same', times: 1 });
    const q = keyboardOf(fake.callsTo('sendMessage', chatId).at(-1)!).find((b) => b.callback_data.startsWith('a:'))!.callback_data.split(':')[1];
    await postUpdate(product.app!, tgUpdate.callback(chatId, `a:${q}:5`, 10));
    await waitForNewMessages(fake, chatId, seen);
    const failed = await product.ctx.queues.queue('outbound-telegram').getJobCounts('failed', 'delayed');
    expect(failed).toEqual({ failed: 0, delayed: 0 });
  });
});

describe('pause, reminders and lost sessions', () => {
  it('sends a reminder when the scheduled timer fires, re-asking the current question', async () => {
    const { chatId, seen } = await startSurvey();
    const reminders = product.ctx.queues.queue('reminders');
    const mine = async () => (await reminders.getDelayed()).filter((j) => j.data.userRef === String(chatId));
    await postUpdate(product.app!, tgUpdate.text(chatId, '1'));
    await waitForNewMessages(fake, chatId, seen);
    // Answering replaced the earlier timer: one pending reminder per conversation.
    await new Promise((r) => setTimeout(r, 300));
    const pending = await mine();
    expect(pending).toHaveLength(1);
    const delayed = pending[0]!;
    expect(delayed.delay).toBeGreaterThanOrEqual(23 * 3600_000);
    clockOffsetMs = 25 * 3600_000;
    const before = fake.callsTo('sendMessage', chatId).length;
    await delayed.promote();
    const sent = await waitForNewMessages(fake, chatId, before);
    clockOffsetMs = 0;
    const texts = sent.slice(before).map((c) => String(c.body.text));
    expect(texts.join('\n')).toContain('khảo sát đang làm dở');
    expect(texts.join('\n')).toMatch(/Câu 2\//);
    await waitUntil(async () => (await product.db.prisma.outboundMessage.count({ where: { kind: 'reminder', recipient: String(chatId), status: 'sent' } })) === 1, 'reminder logged');
    // The next timer (the second reminder) is scheduled, still only one.
    await waitUntil(async () => (await mine()).length === 1 && (await mine())[0]!.id !== delayed.id, 'next timer');
  });

  it('no reminder after the citizen finishes or stops', async () => {
    const { chatId, seen } = await startSurvey();
    await postUpdate(product.app!, tgUpdate.text(chatId, '/stop'));
    await waitForNewMessages(fake, chatId, seen);
    await waitUntil(async () => (await product.db.prisma.respondent.findFirst({ where: { externalId: String(chatId) } }))?.optedOutAt ?? undefined, 'opted out stored');
    const jobs = (await product.ctx.queues.queue('reminders').getDelayed()).filter((j) => j.data.userRef === String(chatId));
    expect(jobs).toHaveLength(0);
  });

  it('rebuilds a session lost from Redis out of PostgreSQL and resumes at the next question', async () => {
    const { chatId, inv, seen } = await startSurvey();
    await postUpdate(product.app!, tgUpdate.text(chatId, '1'));
    await postUpdate(product.app!, tgUpdate.text(chatId, '1'));
    await waitForNewMessages(fake, chatId, seen + 1);
    await waitUntil(async () => (await product.db.prisma.answer.count({ where: { response: { invitationId: inv.id } } })) === 2, 'two answers stored');
    const before = fake.callsTo('sendMessage', chatId).length;
    await product.services.conversations.store.delete({ channel: 'telegram', userRef: String(chatId) });

    const res = await postUpdate(product.app!, tgUpdate.text(chatId, '1'));
    expect(res.statusCode, res.body).toBe(200);
    const sent = await waitForNewMessages(fake, chatId, before);
    expect(String(sent.at(-1)!.body.text)).toMatch(/^Câu 4\//);
    const answers = await waitUntil(async () => {
      const a = await product.db.prisma.answer.findMany({ where: { response: { invitationId: inv.id } }, orderBy: { seq: 'asc' } });
      return a.length === 3 ? a : undefined;
    }, 'third answer stored');
    expect(answers.map((a) => a.questionCode)).toEqual(['respondent_type', 'gender', 'age_band']);
    expect(new Set(answers.map((a) => a.seq)).size).toBe(3);
  });
});
