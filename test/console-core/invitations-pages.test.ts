/**
 * The console's invitation pages through fastify's inject, as a browser without JavaScript
 * uses them (cookie jar, forms, the page's CSRF token). No worker runs: queued deliveries
 * and batches stay queued, so nothing is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/users/user-store.js';
import { csrfTokenIn } from '../support/console-http.js';
import { startProduct, type Product } from '../support/start-product.js';
import { putUnits, SNV, XTP } from '../support/units.js';

let product: Product;

/** A browser without JavaScript: a cookie jar and url-encoded forms. */
class Client {
  jar = new Map<string, string>();
  private header = () => [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  private keep(res: { cookies: { name: string; value: string }[] }) {
    for (const c of res.cookies) this.jar.set(c.name, c.value);
  }
  async get(url: string) {
    const res = await product.app!.inject({ method: 'GET', url, headers: { cookie: this.header() } });
    this.keep(res);
    return res;
  }
  async post(url: string, body: Record<string, string>) {
    const res = await product.app!.inject({ method: 'POST', url, headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
    this.keep(res);
    return res;
  }
  async csrf(url = '/') {
    return csrfTokenIn((await this.get(url)).body)!;
  }
  static async as(username: string) {
    const c = new Client();
    const res = await c.post('/login', { username, password: PASSWORD, _csrf: await c.csrf('/login') });
    expect(res.statusCode, res.body).toBe(303);
    return c;
  }
}

const PASSWORD = 'mat-khau-kiem-thu-1';
const text = (html: string) => html.normalize('NFC');

/** An invitation created straight through the form, as the officer would; returns its id. */
async function createViaForm(c: Client, fields: Record<string, string>): Promise<string> {
  const res = await c.post('/invitations/new', { _csrf: await c.csrf('/invitations/new'), ...fields });
  expect(res.statusCode, res.body).toBe(303);
  const m = /^\/invitations\/([0-9a-f-]{36})\/card\?created=1$/.exec(String(res.headers.location));
  expect(m, String(res.headers.location)).toBeTruthy();
  return m![1]!;
}

let officer: Client;
let admin: Client;
let xtpInvitationId: string;

beforeAll(async () => {
  product = await startProduct({}, { worker: false });
  await putUnits(product.app!, [SNV, XTP]);
  const db = product.db.prisma;
  await createUser(db, { username: 'quantri', displayName: 'Quản Trị', role: 'admin', unitCodes: [], password: PASSWORD });
  await createUser(db, { username: 'canbo.snv', displayName: 'Cán Bộ SNV', role: 'officer', unitCodes: ['SNV'], password: PASSWORD });
  await createUser(db, { username: 'nguoixem', displayName: 'Người Xem', role: 'viewer', unitCodes: [], password: PASSWORD });
  officer = await Client.as('canbo.snv');
  admin = await Client.as('quantri');
  xtpInvitationId = await createViaForm(admin, { unitCode: 'XTP', channel: 'telegram', dossierCode: 'XTP-HS-1', telegramChatId: '5550001' });
});
afterAll(async () => product?.stop());

describe('/invitations/new and the card', () => {
  it('creates an invitation of the officer’s unit, queues it, audits it and shows a printable card with the QR and short code', async () => {
    const id = await createViaForm(officer, { unitCode: 'SNV', channel: 'telegram', dossierCode: 'SNV-HS-001', procedureCode: '1.001', telegramChatId: '7770001' });
    const inv = await product.db.prisma.invitation.findUniqueOrThrow({ where: { id }, include: { unit: true } });
    expect([inv.unit.code, inv.status, inv.dossierCode, inv.recipientChatId]).toEqual(['SNV', 'queued', 'SNV-HS-001', '7770001']);
    const officerId = (await product.db.prisma.user.findUniqueOrThrow({ where: { username: 'canbo.snv' } })).id;
    const audit = await product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'invitation.create', details: { path: ['invitationId'], equals: id } } });
    expect(audit.actor).toBe(`user:${officerId}`);
    expect(JSON.stringify(audit.details)).not.toContain('SNV-HS-001');

    const card = await officer.get(`/invitations/${id}/card?created=1`);
    expect(card.statusCode).toBe(200);
    const html = text(card.body);
    expect(html).toContain('Sở Nội vụ');
    expect(html).toContain(inv.code);
    expect(html).toMatch(/<img[^>]+src="data:image\/png;base64,iVBOR/);
    expect(html).toContain('Quét mã QR bằng điện thoại');
    expect(html).toContain('Đã tạo thư mời.');
  });

  it('refuses another unit, and a phone for Telegram, with a Vietnamese reason and the form kept', async () => {
    const csrf = await officer.csrf('/invitations/new');
    const other = await officer.post('/invitations/new', { _csrf: csrf, unitCode: 'XTP', channel: 'telegram', dossierCode: 'X-1' });
    expect(other.statusCode).toBe(403);
    expect(text(other.body)).toContain('Bạn không được tạo thư mời cho đơn vị này.');
    const phone = await officer.post('/invitations/new', { _csrf: csrf, unitCode: 'SNV', channel: 'telegram', dossierCode: 'SNV-HS-PHONE', phone: '0912345678' });
    expect(phone.statusCode).toBe(400);
    expect(text(phone.body)).toContain('Telegram không gửi được theo số điện thoại');
    expect(phone.body).toContain('value="SNV-HS-PHONE"');
    const badChat = await officer.post('/invitations/new', { _csrf: csrf, unitCode: 'SNV', channel: 'telegram', telegramChatId: 'abc' });
    expect([badChat.statusCode, text(badChat.body).includes('Mã Telegram (chat id) phải là dãy số.')]).toEqual([400, true]);
    expect(await product.db.prisma.invitation.count({ where: { dossierCode: { in: ['X-1', 'SNV-HS-PHONE'] } } })).toBe(0);
  });

  it('refuses a form without the session’s CSRF token (403) and creates nothing', async () => {
    const before = await product.db.prisma.invitation.count();
    const res = await officer.post('/invitations/new', { unitCode: 'SNV', channel: 'telegram', dossierCode: 'SNV-NO-CSRF' });
    expect(res.statusCode).toBe(403);
    const resend = await officer.post(`/invitations/${xtpInvitationId}/resend`, { _csrf: 'wrong' });
    expect(resend.statusCode).toBe(403);
    expect(await product.db.prisma.invitation.count()).toBe(before);
  });
});

describe('/invitations list', () => {
  it('shows an officer only their units’ invitations, an admin all; viewers get the 403 page', async () => {
    const mine = text((await officer.get('/invitations')).body);
    expect(mine).toContain('SNV-HS-001');
    expect(mine).not.toContain('XTP-HS-1');
    const all = text((await admin.get('/invitations')).body);
    expect(all).toContain('SNV-HS-001');
    expect(all).toContain('XTP-HS-1');
    const viewer = await Client.as('nguoixem');
    for (const url of ['/invitations', '/invitations/new', '/invitations/bulk', `/invitations/${xtpInvitationId}`]) {
      const res = await viewer.get(url);
      expect([url, res.statusCode]).toEqual([url, 403]);
      expect(text(res.body)).toContain('Không có quyền truy cập');
    }
    // The officer may not filter on another unit either.
    const other = await officer.get('/invitations?unit=XTP');
    expect(other.statusCode).toBe(400);
    expect(text(other.body)).toContain('Đơn vị này không thuộc phạm vi của bạn.');
  });

  it('finds an invitation by dossier code or short code (exact), filters by status, and pages with “Trang sau” keeping the filters', async () => {
    const byDossier = text((await officer.get('/invitations?q=SNV-HS-001')).body);
    expect(byDossier).toContain('SNV-HS-001');
    const snv = await product.db.prisma.invitation.findFirstOrThrow({ where: { dossierCode: 'SNV-HS-001' } });
    expect(text((await officer.get(`/invitations?q=${snv.code.toLowerCase()}`)).body)).toContain('SNV-HS-001');
    expect(text((await officer.get('/invitations?q=SNV-HS')).body)).toContain('Không có thư mời nào khớp với bộ lọc.');
    expect(text((await officer.get('/invitations?status=completed')).body)).not.toContain('SNV-HS-001');

    await createViaForm(officer, { unitCode: 'SNV', channel: 'telegram', dossierCode: 'SNV-HS-002', telegramChatId: '7770002' });
    const first = await officer.get('/invitations?unit=SNV&status=queued&limit=1');
    expect(first.statusCode).toBe(200);
    const next = /<a href="([^"]+)" rel="next">Trang sau<\/a>/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBeTruthy();
    const params = new URL(next!, 'http://x').searchParams;
    expect([params.get('unit'), params.get('status'), params.get('limit'), Boolean(params.get('cursor'))]).toEqual(['SNV', 'queued', '1', true]);
    expect(first.body).toContain('SNV-HS-002');
    const second = await officer.get(next!);
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain('SNV-HS-001');
    expect(second.body).not.toContain('SNV-HS-002');
    expect(second.body).toContain('Trang đầu');
  });

  it('answers a mistyped date (400) and an unknown round (404) with a Vietnamese message', async () => {
    const res = await officer.get('/invitations?from=31/02/2026');
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Ngày không hợp lệ: hãy nhập theo dạng dd/mm/yyyy.');
    expect(res.body).toContain('value="31/02/2026"');
    const round = await officer.get('/invitations?round=KHONG-CO');
    expect(round.statusCode).toBe(404);
    expect(text(round.body)).toContain('Không có đợt khảo sát với mã này.');
  });
});

describe('/invitations/:id', () => {
  it('answers 404 for another unit’s invitation, as for one that does not exist (never revealing it)', async () => {
    const csrf = await officer.csrf('/invitations');
    for (const res of [
      await officer.get(`/invitations/${xtpInvitationId}`),
      await officer.get(`/invitations/${xtpInvitationId}/card`),
      await officer.post(`/invitations/${xtpInvitationId}/resend`, { _csrf: csrf, telegramChatId: '1' }),
      await officer.post(`/invitations/${xtpInvitationId}/cancel`, { _csrf: csrf }),
      await officer.get('/invitations/00000000-0000-4000-8000-000000000000'),
      await officer.get('/invitations/not-a-uuid'),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(text(res.body)).toContain('Không tìm thấy');
      expect(res.body).not.toContain('XTP-HS-1');
    }
    expect((await product.db.prisma.invitation.findUniqueOrThrow({ where: { id: xtpInvitationId } })).status).toBe('queued');
    expect((await admin.get(`/invitations/${xtpInvitationId}`)).statusCode).toBe(200);
  });

  it('shows the invitation and its history, resends to a corrected chat id (new code, audited without the id)', async () => {
    const id = await createViaForm(officer, { unitCode: 'SNV', channel: 'telegram', dossierCode: 'SNV-HS-RESEND', telegramChatId: '1111' });
    const before = await product.db.prisma.invitation.findUniqueOrThrow({ where: { id } });
    const page = await officer.get(`/invitations/${id}`);
    const html = text(page.body);
    expect(html).toContain('SNV-HS-RESEND');
    expect(html).toContain('Telegram 1111');
    expect(html).toContain('Tạo thư mời');
    expect(html).toContain('Đưa vào hàng đợi gửi');
    const res = await officer.post(`/invitations/${id}/resend`, { _csrf: csrfTokenIn(page.body)!, telegramChatId: '2222' });
    expect([res.statusCode, res.headers.location]).toEqual([303, `/invitations/${id}?resent=1`]);
    const after = await product.db.prisma.invitation.findUniqueOrThrow({ where: { id } });
    expect(after.recipientChatId).toBe('2222');
    expect(after.code).not.toBe(before.code);
    const shown = text((await officer.get(res.headers.location as string)).body);
    expect(shown).toContain('Đã đưa thư mời vào hàng đợi gửi lại.');
    expect(shown).toContain('Cán bộ gửi lại tới người nhận mới');
    const audit = await product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'invitation.resend', details: { path: ['invitationId'], equals: id } } });
    expect(audit.actor).toMatch(/^user:/);
    expect(JSON.stringify(audit.details)).not.toContain('2222');
  });

  it('refuses to resend or cancel once the survey was started (409, Vietnamese), and shows no form then', async () => {
    const id = await createViaForm(officer, { unitCode: 'SNV', channel: 'telegram', dossierCode: 'SNV-HS-STARTED', telegramChatId: '3333' });
    const csrf = await officer.csrf(`/invitations/${id}`);
    await product.db.prisma.invitation.update({ where: { id }, data: { status: 'started', startedAt: new Date() } });
    const resend = await officer.post(`/invitations/${id}/resend`, { _csrf: csrf, telegramChatId: '4444' });
    expect(resend.statusCode).toBe(409);
    expect(text(resend.body)).toContain('Không gửi lại được. Không thể thay đổi: công dân đã mở hoặc bắt đầu khảo sát');
    const cancel = await officer.post(`/invitations/${id}/cancel`, { _csrf: csrf });
    expect(cancel.statusCode).toBe(409);
    expect((await product.db.prisma.invitation.findUniqueOrThrow({ where: { id } })).recipientChatId).toBe('3333');
    const page = await officer.get(`/invitations/${id}`);
    expect(page.body).not.toContain(`action="/invitations/${id}/resend"`);
    expect(text(page.body)).toContain('Công dân bắt đầu trả lời');
  });

  it('shows a completed invitation’s completion day only: no time that would tie the dossier to a response', async () => {
    const id = await createViaForm(officer, { unitCode: 'SNV', channel: 'telegram', dossierCode: 'SNV-HS-DONE', telegramChatId: '6666' });
    const at = new Date('2026-03-04T09:37:00Z');
    await product.db.prisma.invitation.update({ where: { id }, data: { status: 'completed', sentAt: at, openedAt: at, startedAt: at, completedAt: at, completedDay: new Date('2026-03-04T00:00:00Z') } });
    const html = text((await officer.get(`/invitations/${id}`)).body);
    expect(html).toContain('Đã hoàn thành');
    expect(html).toMatch(/<td>04\/03\/2026<\/td>\s*<td>Hoàn thành khảo sát<\/td>/);
    expect(html).not.toContain('04/03/2026 16:37');
    expect(html).not.toContain('Đã gửi tới công dân');
  });

  it('cancels an invitation not yet opened: its recipient and dossier code are forgotten', async () => {
    const id = await createViaForm(officer, { unitCode: 'SNV', channel: 'telegram', dossierCode: 'SNV-HS-CANCEL', telegramChatId: '5555' });
    const res = await officer.post(`/invitations/${id}/cancel`, { _csrf: await officer.csrf(`/invitations/${id}`) });
    expect([res.statusCode, res.headers.location]).toEqual([303, `/invitations/${id}?cancelled=1`]);
    const inv = await product.db.prisma.invitation.findUniqueOrThrow({ where: { id } });
    expect([inv.status, inv.recipientChatId, inv.dossierCode]).toEqual(['cancelled', null, null]);
    expect(text((await officer.get(res.headers.location as string)).body)).toContain('Cán bộ hủy thư mời');
  });
});

describe('/invitations/bulk', () => {
  it('validates each row and lists the refused ones with their number and a Vietnamese reason on the batch page', async () => {
    const csv = ['Mã đơn vị;Kênh;Mã hồ sơ;Mã Telegram', 'SNV;telegram;BULK-1;9001', 'SNV;fax;BULK-2;9002', 'SNV;telegram;BULK-3;abc', 'SNV;telegram;BULK-4;9004'].join('\n');
    const res = await officer.post('/invitations/bulk', { _csrf: await officer.csrf('/invitations/bulk'), csv });
    expect(res.statusCode, res.body).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/invitations\/batches\/[0-9a-f-]{36}$/);
    const page = await officer.get(location);
    expect(page.statusCode).toBe(200);
    const html = text(page.body);
    expect(html).toContain('Dòng lỗi: 2');
    expect(html).toMatch(/<td class="num">2<\/td>\s*<td>Kênh phải là telegram, zalo hoặc simulator\.<\/td>/);
    expect(html).toMatch(/<td class="num">3<\/td>\s*<td>Mã Telegram \(chat id\) phải là dãy số\.<\/td>/);
    // Still running (no worker here): polled by htmx, with a plain reload link.
    expect(html).toContain('hx-trigger="every 2s"');
    expect(html).toContain('Tải lại');
    // The admin sees any batch; another officer's batch would be "not found" (invitationBatchView).
    expect((await admin.get(location)).statusCode).toBe(200);
    expect(await product.db.prisma.auditLog.count({ where: { action: 'invitations.bulk' } })).toBe(1);
  });

  it('answers a CSV with no rows with a Vietnamese message and keeps the text', async () => {
    const res = await officer.post('/invitations/bulk', { _csrf: await officer.csrf('/invitations/bulk'), csv: 'Mã đơn vị;Kênh' });
    expect(res.statusCode).toBe(400);
    expect(text(res.body)).toContain('Không có dòng dữ liệu nào');
    expect(text(res.body)).toContain('Mã đơn vị;Kênh');
  });
});
