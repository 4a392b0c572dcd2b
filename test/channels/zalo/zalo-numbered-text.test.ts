import { describe, expect, it } from 'vitest';
import { builtinDefinition, expectedAnswers, storedAnswers } from '../../support/survey-script.js';
import { completedResponseIds, responseCompletedSince } from '../../support/completed-responses.js';
import { waitUntil } from '../../support/wait-until.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { csButtons, driveZaloSurvey } from '../../support/zalo-survey-driver.js';

const def = builtinDefinition('sipas-2017');
const h = useZaloProduct({ firstUserId: 8_200_000_000_000_000_001n, dossierPrefix: 'HS-N', env: { ZALO_BUTTONS: 'false' } });

describe('Zalo without buttons (ZALO_BUTTONS=false): numbered text only', () => {
  it('completes sipas-2017 by typing numbers and option text; no message carries buttons', async () => {
    const inv = await h.invite();
    const userId = h.nextUserId();
    const before = await completedResponseIds(h.product.db.prisma);
    const { transcript, finalText, used } = await driveZaloSurvey({ app: h.product.app!, fake: h.fake, userId, def, startText: inv.code, mode: (step) => (step % 2 ? 'label' : 'number') });
    expect(finalText).toMatch(/cảm ơn/i);
    expect(used.payload).toBe(0);
    expect(used.label).toBeGreaterThan(10);
    expect(transcript.every((c) => csButtons(c).length === 0 && c.body.message.attachment === undefined)).toBe(true);
    const response = await responseCompletedSince(h.product.db.prisma, before);
    expect(storedAnswers(response.answers)).toEqual(expectedAnswers(def));
  });

  it('understands typed commands: /help, "quay lại", "dừng", and the code again to resume', async () => {
    const inv = await h.invite();
    const chat = h.newChat();
    expect((await chat.say(inv.code)).join('\n')).toContain('Gõ 1 để bắt đầu');
    expect((await chat.say('1')).at(-1)).toMatch(/^Câu 1\/\d+/m);
    expect((await chat.say('1')).at(-1)).toMatch(/^Câu 2\/\d+/m);

    const help = (await chat.say('/help')).join('\n');
    expect(help).toContain('Hướng dẫn trả lời khảo sát');
    expect(help).toMatch(/^Câu 2\/\d+/m);

    const back = (await chat.say('quay lại')).join('\n');
    expect(back).toMatch(/^Câu 1\/\d+/m);
    expect(back).toContain('Câu trả lời hiện tại: Cá nhân (người dân)');
    expect((await chat.say('2')).join('\n')).toMatch(/Đã chọn: Người đại diện cho tổ chức, doanh nghiệp\.[\s\S]*^Câu 2\/\d+/m);

    expect((await chat.say('dừng')).join('\n')).toContain('Ông/Bà đã dừng khảo sát');
    const db = h.product.db.prisma;
    await waitUntil(async () => (await db.invitation.findUnique({ where: { id: inv.id } }))?.status === 'opted_out', 'invitation opted out');
    await waitUntil(async () => (await db.response.findFirst({ where: { invitationId: inv.id } }))?.status === 'opted_out', 'response opted out');

    const resumed = (await chat.say(inv.code.toLowerCase())).join('\n');
    expect(resumed).toContain('Chào mừng Ông/Bà quay lại');
    expect(resumed).toMatch(/^Câu 2\/\d+/m);
    const answers = await waitUntil(async () => {
      const rows = await db.answer.findMany({ where: { response: { invitationId: inv.id } } });
      return rows.length === 1 ? rows : undefined;
    }, 'one answer');
    expect(answers[0]).toMatchObject({ questionCode: 'respondent_type', value: 'to_chuc' });
  });
});
