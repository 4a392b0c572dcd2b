import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import { adminHeaders } from '../support/start-product.js';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { driveSurvey, waitForNewMessages } from '../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../support/telegram-updates.js';
import { SNV, XTP } from '../support/units.js';
import { waitUntil } from '../support/wait-until.js';

const h = useTelegramProduct({ firstChatId: 5_590_001, units: [SNV, XTP] });
type Headers = { authorization: string };
let officer: Headers;
beforeAll(async () => {
  officer = { authorization: `Bearer ${(await createApiKey(h.product.db.prisma, { name: 'SNV officer', role: 'officer', unitCodes: ['SNV'] })).key}` };
});

type View = { id: string; code: string; status: string; unitCode?: string; token: string };
const api = (method: 'GET' | 'POST', url: string, headers: Headers = adminHeaders, payload?: Record<string, unknown>) =>
  h.product.app!.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload }) });
const list = async (query: string, headers: Headers = adminHeaders) => {
  const res = await api('GET', `/invitations?${query}`, headers);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: View[]; nextCursor: string | null };
};
const statusOf = async (id: string) => (await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id } })).status;

describe('the invitation list', () => {
  it('pages newest first, searches by short code and dossier code, and shows an officer its own units only', async () => {
    const snv: Awaited<ReturnType<typeof h.invite>>[] = [];
    for (let i = 1; i <= 3; i++) snv.push(await h.invite({ dossierCode: `HS-LIST-${i}` }));
    const xtp = await h.invite({ unitCode: 'XTP', dossierCode: 'HS-LIST-X' });

    const first = await list('limit=2');
    expect(first.items.map((i) => i.id)).toEqual([xtp.id, snv[2]!.id]);
    expect(first.items[0]).toMatchObject({ unitCode: 'XTP' });
    const second = await list(`limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.id)).toEqual([snv[1]!.id, snv[0]!.id]);

    const mine = await list('', officer);
    expect(mine.items.every((i) => i.unitCode === 'SNV')).toBe(true);
    expect(mine.items.map((i) => i.id)).toEqual(expect.arrayContaining(snv.map((i) => i.id)));
    expect((await api('GET', '/invitations?unit=XTP', officer)).statusCode).toBe(403);

    // The short code as a citizen reads it out (any case, a dash), and the dossier code.
    const typed = `${snv[1]!.code.slice(0, 4).toLowerCase()}-${snv[1]!.code.slice(4)}`;
    expect((await list(`q=${typed}`)).items.map((i) => i.id)).toEqual([snv[1]!.id]);
    expect((await list('q=HS-LIST-X')).items.map((i) => i.id)).toEqual([xtp.id]);
    expect((await list('q=HS-LIST-X', officer)).items).toEqual([]);
    expect((await list('status=created&unit=SNV')).items.length).toBeGreaterThanOrEqual(3);

    // A dossier whose survey is over is still found (through its keyed hash; its plain code is gone).
    await driveSurvey(h.product.app!, h.fake, 5_590_001, `/start ${snv[0]!.token}`);
    await waitUntil(async () => (await statusOf(snv[0]!.id)) === 'completed', 'completed');
    expect((await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id: snv[0]!.id } })).dossierCode).toBeNull();
    expect((await list('q=HS-LIST-1', officer)).items).toMatchObject([{ id: snv[0]!.id, status: 'completed' }]);

    for (const bad of ['cursor=bm9wZQ', 'limit=0', 'limit=201', 'from=2026-13-01', 'status=done']) expect((await api('GET', `/invitations?${bad}`)).statusCode, bad).toBe(400);
  });
});

describe('resend and cancel', () => {
  it('resends to a corrected chat id: the new one is used, the old one is not; refused once started', async () => {
    const wrong = 5_590_100;
    const right = 5_590_101;
    const inv = await h.invite({ dossierCode: 'HS-RESEND', recipient: { telegramChatId: String(wrong) } });
    await waitUntil(async () => (await statusOf(inv.id)) === 'sent', 'first delivery');
    expect(h.fake.acceptedSendsTo(wrong)).toHaveLength(1);

    // Another unit's officer cannot see it; this unit's officer corrects the recipient.
    const other = { authorization: `Bearer ${(await createApiKey(h.product.db.prisma, { name: 'XTP officer', role: 'officer', unitCodes: ['XTP'] })).key}` };
    expect((await api('POST', `/invitations/${inv.id}/resend`, other, { recipient: { telegramChatId: String(right) } })).statusCode).toBe(404);
    const res = await api('POST', `/invitations/${inv.id}/resend`, officer, { recipient: { telegramChatId: String(right) } });
    expect(res.statusCode, res.body).toBe(200);
    const resent = res.json() as View;
    // A new link and code: whoever got the first message cannot answer it.
    expect(resent).toMatchObject({ status: 'queued' });
    expect(resent.token).not.toBe(inv.token);
    expect(resent.code).not.toBe(inv.code);
    await waitUntil(() => h.fake.acceptedSendsTo(right).length === 1, 'sent to the corrected chat');
    await waitUntil(async () => (await statusOf(inv.id)) === 'sent', 'sent again');
    expect(h.fake.acceptedSendsTo(wrong)).toHaveLength(1);
    expect((await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id: inv.id } })).recipientChatId).toBe(String(right));
    const audit = await h.product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'invitation.resend' } });
    expect(audit.details).toEqual({ invitationId: inv.id, recipientChanged: true });
    expect(JSON.stringify(audit.details)).not.toContain(String(right));

    // A second resend without a body goes to the same (corrected) chat.
    expect((await api('POST', `/invitations/${inv.id}/resend`, officer)).statusCode).toBe(200);
    await waitUntil(() => h.fake.acceptedSendsTo(right).length === 2, 'sent a second time');

    const before = h.fake.acceptedSendsTo(wrong).length;
    await postUpdate(h.product.app!, tgUpdate.text(wrong, `/start ${inv.token}`));
    expect(String((await waitForNewMessages(h.fake, wrong, before)).at(-1)!.body.text)).toContain('không đúng hoặc không tồn tại');

    // Once the citizen has opened (or started) it, it cannot be resent or cancelled.
    await postUpdate(h.product.app!, tgUpdate.text(right, `/start ${resent.token}`));
    await waitForNewMessages(h.fake, right, 2);
    await waitUntil(async () => (await statusOf(inv.id)) === 'opened', 'opened');
    expect((await api('POST', `/invitations/${inv.id}/cancel`, officer)).json().error).toMatchObject({ code: 'invitation_final', message: expect.stringContaining('opened') });
    await postUpdate(h.product.app!, tgUpdate.callback(right, 's:consent:yes', 1));
    await waitUntil(async () => (await statusOf(inv.id)) === 'started', 'started');
    const refused = await api('POST', `/invitations/${inv.id}/resend`, officer);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'invitation_final', message: expect.stringContaining('started') });
    expect((await api('POST', `/invitations/${inv.id}/cancel`, officer)).statusCode).toBe(409);
    // A Telegram resend to a phone is refused like a creation.
    const phoneOnly = await h.invite({ dossierCode: 'HS-RESEND-PHONE' });
    expect((await api('POST', `/invitations/${phoneOnly.id}/resend`, officer, { recipient: { phone: '0912345678' } })).json().error.code).toBe('unreachable_recipient');
    expect((await api('POST', `/invitations/${phoneOnly.id}/resend`, officer)).json().error.code).toBe('no_recipient');
  });

  it('cancels an invitation not yet started: its link starts nothing and its recipient is forgotten', async () => {
    const chat = 5_590_200;
    const inv = await h.invite({ dossierCode: 'HS-CANCEL', recipient: { telegramChatId: String(chat) } });
    await waitUntil(async () => (await statusOf(inv.id)) === 'sent', 'delivered');
    const res = await api('POST', `/invitations/${inv.id}/cancel`, officer);
    expect(res.statusCode, res.body).toBe(200);
    expect(await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id: inv.id } })).toMatchObject({ status: 'cancelled', recipientChatId: null, dossierCode: null });
    expect((await api('POST', `/invitations/${inv.id}/cancel`, officer)).statusCode).toBe(409);
    const seen = h.fake.acceptedSendsTo(chat).length;
    await postUpdate(h.product.app!, tgUpdate.text(chat, `/start ${inv.token}`));
    const reply = (await waitForNewMessages(h.fake, chat, seen)).at(-1)!;
    expect(String(reply.body.text)).toBe('Lời mời khảo sát này đã được cơ quan huỷ. Xin cảm ơn Ông/Bà đã quan tâm.');
    expect(await h.product.db.prisma.auditLog.count({ where: { action: 'invitation.cancel' } })).toBe(1);
  });
});
