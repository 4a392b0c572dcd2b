import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeZaloServer, type FakeZaloServer } from '../../support/fake-zalo-server.js';
import { adminHeaders, startProduct, type Product } from '../../support/start-product.js';
import { builtinDefinition, expectedAnswers, storedAnswers } from '../../support/survey-script.js';
import { waitUntil } from '../../support/wait-until.js';
import { ZaloChat } from '../../support/zalo-chat.js';
import { csButtons, driveZaloSurvey } from '../../support/zalo-survey-driver.js';
import { ZALO_TEST, zaloEnv } from '../../support/zalo-webhook-events.js';

const def = builtinDefinition('sipas-2017');
let fake: FakeZaloServer;
let product: Product;

beforeAll(async () => {
  fake = await createFakeZaloServer({ appId: ZALO_TEST.appId, appSecretKey: ZALO_TEST.appSecretKey, accessToken: ZALO_TEST.accessToken, refreshToken: ZALO_TEST.refreshToken });
  product = await startProduct(zaloEnv(fake.url, { ZALO_BUTTONS: 'false' }));
  await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }] });
  await waitUntil(async () => ((await product.db.prisma.zaloToken.findFirst())?.version ?? 0) >= 1, 'first token upkeep');
});
afterAll(async () => {
  await product?.stop();
  await fake?.close();
});

async function invite(dossierCode: string) {
  const res = await product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'zalo', dossierCode } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; code: string };
}

describe('Zalo without buttons (ZALO_BUTTONS=false): numbered text only', () => {
  it('completes sipas-2017 by typing numbers and option text; no message carries buttons', async () => {
    const inv = await invite('HS-N-1');
    const userId = '8200000000000000001';
    const { transcript, finalText, used } = await driveZaloSurvey({ app: product.app!, fake, userId, def, startText: inv.code, mode: (step) => (step % 2 ? 'label' : 'number') });
    expect(finalText).toMatch(/cảm ơn/i);
    expect(used.payload).toBe(0);
    expect(used.label).toBeGreaterThan(10);
    expect(transcript.every((c) => csButtons(c).length === 0 && c.body.message.attachment === undefined)).toBe(true);
    const response = await waitUntil(async () => {
      const r = await product.db.prisma.response.findFirst({ where: { invitationId: inv.id }, include: { answers: true } });
      return r?.status === 'completed' ? r : undefined;
    }, 'completed');
    expect(storedAnswers(response.answers)).toEqual(expectedAnswers(def));
  });

  it('understands typed commands: /help, "quay lại", "dừng", and the code again to resume', async () => {
    const inv = await invite('HS-N-2');
    const chat = new ZaloChat(product.app!, fake, '8200000000000000002');
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
    const db = product.db.prisma;
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
