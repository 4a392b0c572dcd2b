import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useTelegramProduct } from '../../support/telegram-harness.js';
import { keyboardOf, waitForNewMessages } from '../../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../../support/telegram-updates.js';
import { waitUntil } from '../../support/wait-until.js';

const h = useTelegramProduct({ firstChatId: 7_000_000 });
const { invite, startSurvey } = h;
let chatSeq = 7_100_000;

async function responseAnswers(invitationId: string) {
  const r = await h.product.db.prisma.response.findFirst({ where: { invitationId }, include: { answers: { orderBy: { questionCode: 'asc' } } } });
  return r?.answers ?? [];
}

const currentQuestion = (chatId: number) => {
  const last = h.fake.callsTo('sendMessage', chatId).at(-1)!;
  return keyboardOf(last).find((b) => b.callback_data.startsWith('a:'))?.callback_data.split(':')[1];
};

describe('POST /webhooks/telegram rejects what is not Telegram', () => {
  it('401 without or with a wrong secret, before reading the body', async () => {
    expect((await postUpdate(h.product.app!, tgUpdate.text(1, 'hi'), null)).statusCode).toBe(401);
    const wrong = await postUpdate(h.product.app!, tgUpdate.text(1, 'hi'), 'not_the_secret');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  it('400 for malformed JSON and for a body that is not an Update', async () => {
    const bad = await postUpdate(h.product.app!, '{"update_id": 1, "message": ');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('malformed_json');
    expect((await postUpdate(h.product.app!, { hello: 'world' })).statusCode).toBe(400);
    expect((await postUpdate(h.product.app!, [1, 2, 3])).statusCode).toBe(400);
  });

  it('413 for an oversized body', async () => {
    const res = await postUpdate(h.product.app!, tgUpdate.text(1, 'x'.repeat(300 * 1024)));
    expect(res.statusCode).toBe(413);
  });

  it('200 and ignored for update types the survey does not use', async () => {
    const res = await postUpdate(h.product.app!, { update_id: tgUpdate.nextId(), edited_message: { message_id: 1, chat: { id: 1, type: 'private' }, date: 1, text: 'x' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().ignored).toBeDefined();
    const group = await postUpdate(h.product.app!, { update_id: tgUpdate.nextId(), message: { message_id: 1, chat: { id: -100, type: 'group' }, date: 1, text: '/start' } });
    expect(group.json().ignored).toBe('not a private chat');
  });

  it('answers every button press in the webhook response, also a stale or foreign one, a retried one and one that is ignored', async () => {
    const chatId = chatSeq++;
    const foreign = tgUpdate.callback(chatId, 'not-our-data', 7);
    const res = await postUpdate(h.product.app!, foreign);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: foreign.callback_query.id });
    // A press on a keyboard this chat has no session for: applied (the engine explains), and answered.
    const stale = tgUpdate.callback(chatId, 'a:1.1:5', 8);
    const first = await postUpdate(h.product.app!, stale);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: stale.callback_query.id });
    const again = await postUpdate(h.product.app!, stale);
    expect(again.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: stale.callback_query.id });
    // A typed message has nothing to answer.
    expect((await postUpdate(h.product.app!, tgUpdate.text(chatId, 'xin chào'))).json()).toEqual({ ok: true });
    await waitForNewMessages(h.fake, chatId, 0);
    expect(h.fake.callsTo('answerCallbackQuery')).toHaveLength(0);
  });

  it('answers an unknown or expired token politely and records nothing', async () => {
    const before = await h.product.db.prisma.response.count();
    const chatId = chatSeq++;
    await postUpdate(h.product.app!, tgUpdate.text(chatId, '/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'));
    const sent = await waitForNewMessages(h.fake, chatId, 0);
    expect(String(sent.at(-1)!.body.text)).toContain('Mã khảo sát không đúng');

    const inv = await invite({ dossierCode: `EXP-${chatId}` });
    await h.product.db.prisma.invitation.update({ where: { id: inv.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const chat2 = chatSeq++;
    await postUpdate(h.product.app!, tgUpdate.text(chat2, `/start ${inv.token}`));
    expect(String((await waitForNewMessages(h.fake, chat2, 0)).at(-1)!.body.text)).toContain('hết hạn');
    expect(await h.product.db.prisma.response.count()).toBe(before);
  });
});

describe('deliveries that repeat, race or come late', () => {
  it('applies the same update_id delivered three times once', async () => {
    const { chatId, inv, seen } = await startSurvey();
    const q = currentQuestion(chatId)!;
    const update = tgUpdate.callback(chatId, `a:${q}:1`, 5);
    const results = await Promise.all([postUpdate(h.product.app!, update), postUpdate(h.product.app!, update), postUpdate(h.product.app!, update)]);
    expect(results.map((r) => r.statusCode)).toEqual([200, 200, 200]);
    await waitForNewMessages(h.fake, chatId, seen);
    await new Promise((r) => setTimeout(r, 300));
    // One new question was asked, not three.
    expect(h.fake.callsTo('sendMessage', chatId).length).toBe(seen + 1);
    const answers = await waitUntil(async () => ((await responseAnswers(inv.id)).length ? responseAnswers(inv.id) : undefined), 'answer stored');
    expect(answers.map((a) => a.questionCode)).toEqual([q]);
  });

  it('serialises two different updates of one chat sent at once: both answers, no skipped question', async () => {
    const { chatId, inv, seen } = await startSurvey();
    const first = currentQuestion(chatId)!;
    // Two typed answers at the same moment: they answer the current question and the next one.
    await Promise.all([postUpdate(h.product.app!, tgUpdate.text(chatId, '1')), postUpdate(h.product.app!, tgUpdate.text(chatId, '2'))]);
    await waitUntil(() => h.fake.callsTo('sendMessage', chatId).length >= seen + 2, 'two replies');
    const answers = await waitUntil(async () => {
      const a = await responseAnswers(inv.id);
      return a.length === 2 ? a : undefined;
    }, 'two answers');
    expect(answers.map((a) => a.questionCode)).toContain(first);
    const texts = h.fake.callsTo('sendMessage', chatId).slice(seen).map((c) => String(c.body.text).split('\n')[0]);
    expect(texts).toEqual([expect.stringMatching(/^Câu 2\//), expect.stringMatching(/^Câu 3\//)]);
  });

  it('an old keyboard pressed again does not change history', async () => {
    const { chatId, inv, seen } = await startSurvey();
    const q = currentQuestion(chatId)!;
    await postUpdate(h.product.app!, tgUpdate.callback(chatId, `a:${q}:1`, 5));
    await waitForNewMessages(h.fake, chatId, seen);
    const stored = await waitUntil(async () => (await responseAnswers(inv.id))[0], 'first answer');
    const before = h.fake.callsTo('sendMessage', chatId).length;
    await postUpdate(h.product.app!, tgUpdate.callback(chatId, `a:${q}:2`, 5));
    await waitForNewMessages(h.fake, chatId, before);
    expect(String(h.fake.callsTo('sendMessage', chatId).at(-1)!.body.text)).toContain('đã qua');
    await new Promise((r) => setTimeout(r, 300));
    const after = await responseAnswers(inv.id);
    expect(after).toHaveLength(1);
    expect(after[0]!.value).toEqual(stored.value);
  });
});

describe('hostile input', () => {
  it('10,000 random and hostile payloads never crash the server and never write partial data', async () => {
    const app = h.product.app!;
    const chatIds = [9_100_001, 9_100_002, 9_100_003];
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.constantFrom('/start', '/start u_SNV', '/start ../../etc/passwd', '/stop', '/help', '/back', '5', ' 5 ', 'rất hài lòng', '0', '1,3', 'quay lại', 'bỏ qua', '\u0000\u202e', '<script>alert(1)</script>', "'; DROP TABLE answers; --"),
    );
    const update = fc.oneof(
      fc.record({ update_id: fc.nat(), message: fc.record({ message_id: fc.nat(), chat: fc.record({ id: fc.constantFrom(...chatIds), type: fc.constantFrom('private', 'group') }), date: fc.nat(), text }) }),
      fc.record({
        update_id: fc.nat(),
        callback_query: fc.record({ id: fc.string({ minLength: 1, maxLength: 20 }), from: fc.record({ id: fc.constantFrom(...chatIds) }), data: fc.oneof(fc.string({ maxLength: 80 }), fc.constantFrom('a:1.1:5', 'a:1.1:9', 's:consent:yes', 'a:zz:1', 's:unit:c-SNV', 'noop')), message: fc.record({ message_id: fc.nat(), chat: fc.record({ id: fc.constantFrom(...chatIds), type: fc.constant('private') }) }) }),
      }),
      fc.anything(),
      fc.jsonValue(),
    );
    const payload = fc.oneof({ weight: 6, arbitrary: update.map((u) => JSON.stringify(u)) }, { weight: 1, arbitrary: fc.string({ maxLength: 200 }) });
    const samples = fc.sample(payload, { numRuns: 10_000, seed: 20261122 });
    const statuses = new Map<number, number>();
    for (const body of samples) {
      const res = await postUpdate(app, body);
      statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
      expect([200, 400, 413, 503]).toContain(res.statusCode);
    }
    expect(statuses.get(200)).toBeGreaterThan(100);
    expect(statuses.get(400)).toBeGreaterThan(100);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // Let the workers drain, then check every stored response is internally consistent.
    const { redis, config } = h.product.ctx;
    await waitUntil(async () => (await redis.xlen(`${config.redisPrefix}:outbox`)) === 0 && (await h.product.ctx.queues.queue('answers').getJobCounts('waiting', 'active', 'delayed')).waiting === 0, 'answers drained', 30_000);
    // Every stored answer belongs to a question of its response's questionnaire, with a valid score.
    const strays = await h.product.db.prisma.$queryRaw<{ n: number }[]>`
      SELECT COUNT(*)::int AS n FROM answers a JOIN responses r ON r.id = a.response_id JOIN questionnaires q ON q.id = r.questionnaire_id
      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(q.definition->'questions') x WHERE x->>'code' = a.question_code)
         OR (a.score IS NOT NULL AND a.score NOT BETWEEN 1 AND 5)`;
    expect(strays[0]!.n).toBe(0);
    expect(await h.product.db.prisma.response.count()).toBeGreaterThan(0);
    const failed = await h.product.ctx.queues.queue('answers').getJobCounts('failed');
    expect(failed.failed).toBe(0);
  }, 240_000);
});
