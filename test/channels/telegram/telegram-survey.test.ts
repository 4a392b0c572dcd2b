import { describe, expect, it } from 'vitest';
import { useTelegramProduct } from '../../support/telegram-harness.js';
import { driveSurvey, keyboardOf } from '../../support/telegram-survey-driver.js';
import { SNV, XTP } from '../../support/units.js';
import { completedResponseIds, responseCompletedSince } from '../../support/completed-responses.js';
import { waitUntil } from '../../support/wait-until.js';

const h = useTelegramProduct({ firstChatId: 5_550_001, units: [SNV, XTP] });

describe('a citizen answers sipas-2017 in Telegram', () => {
  it('completes the whole survey through the webhook, with every answer in PostgreSQL', async () => {
    const inv = await h.invite({ dossierCode: 'HS-0001', procedureCode: '1.001234' });
    expect(inv.links.telegram).toBe(`https://t.me/sipas_test_bot?start=${inv.token}`);
    const chatId = 5550001;
    const db = h.product.db.prisma;
    const before = await completedResponseIds(db);
    const { transcript, finalText, answeredPresses } = await driveSurvey(h.product.app!, h.fake, chatId, `/start ${inv.token}`);
    expect(finalText).toMatch(/cảm ơn/i);

    const response = await responseCompletedSince(db, before);
    expect(response.unit?.code).toBe('SNV');
    expect(response.procedureCode).toBe('1.001234');
    const codes = response.answers.map((a) => a.questionCode);
    // All 22 criteria, answered on the scale: the national form asks every criterion of everyone, with no "no opinion".
    for (const c of ['1.1', '1.4', '2.5', '3.6', '4.3', '5.1', '5.4']) expect(codes).toContain(c);
    expect(response.answers.filter((a) => /^\d\.\d$/.test(a.questionCode)).every((a) => a.status === 'answered')).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);

    const invitation = await db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    // Once completed, the invitation keeps its status and completion day, not its times (anonymity at rest).
    expect(invitation).toMatchObject({ status: 'completed', openedAt: null, startedAt: null, completedAt: null });
    expect(invitation.completedDay).not.toBeNull();

    const snv = await db.unit.findUniqueOrThrow({ where: { code: 'SNV' } });
    const rollups = await db.criterionRollup.findMany({ where: { unitId: snv.id } });
    expect(rollups.length).toBe(22);
    expect(rollups.reduce((s, r) => s + r.c1 + r.c2 + r.c3 + r.c4 + r.c5 + r.cNa, 0)).toBe(22);
    expect(rollups.reduce((s, r) => s + r.cNa, 0)).toBe(0);

    // The bot's side of the conversation, as Telegram saw it.
    const questions = transcript.filter((c) => /^Câu \d+\/\d+/.test(String(c.body.text)));
    expect(questions.length).toBeGreaterThanOrEqual(30);
    expect(questions.every((q) => keyboardOf(q).length > 0 || /ký tự/.test(String(q.body.text)))).toBe(true);
    expect(String(questions[0]!.body.text)).toMatch(/^Câu 1\/\d+/);
    for (const q of questions) for (const b of keyboardOf(q)) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    // Every press was answered in the webhook's response, none by a separate call.
    expect(answeredPresses).toBeGreaterThan(20);
    expect(h.fake.callsTo('answerCallbackQuery')).toHaveLength(0);
    expect(h.fake.callsTo('editMessageReplyMarkup').length).toBeGreaterThan(20);
  });

  it("a province variant (sipas-2017 version 1, opened again) records 'no opinion' as not applicable and asks element 5 after the filter", async () => {
    await h.product.ctx.catalog.setActive('sipas-2017', 1, true);
    try {
      const inv = await h.invite({ dossierCode: 'HS-V1', procedureCode: '1.001234', questionnaire: 'sipas-2017@1' });
      const before = await completedResponseIds(h.product.db.prisma);
      await driveSurvey(h.product.app!, h.fake, 5550009, `/start ${inv.token}`);
      const response = await responseCompletedSince(h.product.db.prisma, before);
      expect(response.answers.find((a) => a.questionCode === '2.3')?.status).toBe('not_applicable');
      expect(response.answers.map((a) => a.questionCode)).toEqual(expect.arrayContaining(['complaint', '5.1', '5.4']));
    } finally {
      await h.product.ctx.catalog.setActive('sipas-2017', 1, false);
    }
  });

  it('refuses a second /start with a used token, politely, recording nothing', async () => {
    const inv = await h.invite({ dossierCode: 'HS-0002', procedureCode: '1.001234' });
    await driveSurvey(h.product.app!, h.fake, 5550002, `/start ${inv.token}`);
    await waitUntil(async () => (await h.product.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.status === 'completed', 'completed');
    const before = await h.product.db.prisma.answer.count();
    const seen = h.fake.callsTo('sendMessage', 5550003).length;
    const { postUpdate, tgUpdate } = await import('../../support/telegram-updates.js');
    expect((await postUpdate(h.product.app!, tgUpdate.text(5550003, `/start ${inv.token}`))).statusCode).toBe(200);
    await waitUntil(() => h.fake.callsTo('sendMessage', 5550003).length > seen, 'reply');
    expect(String(h.fake.callsTo('sendMessage', 5550003).at(-1)!.body.text)).toContain('đã được sử dụng');
    expect(await h.product.db.prisma.answer.count()).toBe(before);
  });
});
