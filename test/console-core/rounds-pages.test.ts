/**
 * The console's round pages over fastify inject (no browser): creating a round with quotas
 * through the form (days typed dd/mm/yyyy), Vietnamese validation errors, what each role may
 * do, the frame upload as a multipart form with its rejected rows, and the counter poster's scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/users/user-store.js';
import { startProduct, type Product } from '../support/start-product.js';
import { putUnits, SNV, XTP } from '../support/units.js';

let product: Product;
const USERS = [
  { username: 'admin', role: 'admin' as const, unitCodes: [] },
  { username: 'canbo', role: 'officer' as const, unitCodes: ['SNV'] },
  { username: 'xem', role: 'viewer' as const, unitCodes: [] },
];
const ids = new Map<string, string>();

beforeAll(async () => {
  product = await startProduct({}, { worker: false });
  await putUnits(product.app!, [SNV, XTP]);
  for (const u of USERS) {
    const user = await createUser(product.db.prisma, { ...u, displayName: `Người ${u.username}`, password: `mat-khau-${u.username}-01` });
    ids.set(u.username, user.id);
  }
});
afterAll(async () => product?.stop());

const DAY = 86_400_000;
/** A day in Vietnam's calendar, `offset` days from today, as dd/mm/yyyy and yyyy-mm-dd. */
function day(offset: number): { vi: string; iso: string } {
  const iso = new Date(Date.now() + 7 * 3_600_000 + offset * DAY).toISOString().slice(0, 10);
  const [y, m, d] = iso.split('-');
  return { vi: `${d}/${m}/${y}`, iso };
}

/** A browser without JavaScript: a cookie jar, plain forms and the CSRF token of the last page. */
class Client {
  jar = new Map<string, string>();
  csrf = '';
  private header = () => [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  private keep<R extends { cookies: { name: string; value: string }[]; body: string }>(res: R): R {
    for (const c of res.cookies) this.jar.set(c.name, c.value);
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }
  async get(url: string) {
    return this.keep(await product.app!.inject({ method: 'GET', url, headers: { cookie: this.header() } }));
  }
  async post(url: string, body: Record<string, string>) {
    const payload = new URLSearchParams({ _csrf: this.csrf, ...body }).toString();
    return this.keep(await product.app!.inject({ method: 'POST', url, headers: { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' }, payload }));
  }
  /** A multipart form with one file, serialised by the Fetch API as a browser would. */
  async postFile(url: string, fields: Record<string, string>, file: { name: string; filename: string; text: string }) {
    const form = new FormData();
    form.set('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set(file.name, new Blob([file.text], { type: 'text/csv' }), file.filename);
    const req = new Request('http://x/', { method: 'POST', body: form });
    const payload = Buffer.from(await req.arrayBuffer());
    return this.keep(await product.app!.inject({ method: 'POST', url, headers: { cookie: this.header(), 'content-type': req.headers.get('content-type')! }, payload }));
  }
  static async as(username: string) {
    const c = new Client();
    await c.get('/login');
    const res = await c.post('/login', { username, password: `mat-khau-${username}-01` });
    expect(res.statusCode).toBe(303);
    return c;
  }
}

/** The page's HTML with the quotes the renderer escapes put back, for readable expectations. */
const text = (html: string) => html.normalize('NFC').replace(/&#34;/g, '"').replace(/&#39;/g, "'");

describe('/rounds', () => {
  it('lets an administrator create a round with quotas through the form (days as dd/mm/yyyy), audited with the admin as actor', async () => {
    const admin = await Client.as('admin');
    const page = await admin.get('/rounds');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('Tạo đợt khảo sát');
    const res = await admin.post('/rounds', {
      code: 'R-TEST-1',
      name: 'Đợt thử nghiệm quý IV',
      questionnaire: 'sipas-2017',
      opensOn: day(0).vi,
      closesOn: day(30).iso,
      eligibleFrom: day(-60).vi,
      eligibleTo: '',
      quotas: 'SNV 120\r\nXTP, 1.200\r\n\r\n',
      onQuotaFull: 'stop_inviting',
    });
    expect([res.statusCode, res.headers.location], res.body).toEqual([303, '/rounds/R-TEST-1?done=created']);
    const round = await product.db.prisma.round.findUniqueOrThrow({ where: { code: 'R-TEST-1' }, include: { quotas: { include: { unit: true } } } });
    expect(round.quotas.map((q) => [q.unit.code, q.target]).sort()).toEqual([['SNV', 120], ['XTP', 1200]]);
    expect(round.opensOn.toISOString().slice(0, 10)).toBe(day(0).iso);
    expect(round.eligibleFrom?.toISOString().slice(0, 10)).toBe(day(-60).iso);
    expect(round.onQuotaFull).toBe('stop_inviting');
    const audit = await product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'round.create' } });
    expect(audit.actor).toBe(`user:${ids.get('admin')}`);

    const detail = await admin.get(res.headers.location as string);
    expect(detail.statusCode).toBe(200);
    const body = text(detail.body);
    expect(body).toContain('Đã tạo đợt khảo sát.');
    expect(body).toContain(`${day(0).vi} – ${day(30).vi}`);
    expect(body).toContain('Sở Nội vụ (SNV)');
    expect(body).toContain('href="/counter-qr/SNV"');
    expect(body).toContain('href="/counter-qr/XTP"');
    // Target 1.200 with a dot for thousands; a labelled SVG chart beside its table.
    expect(body).toMatch(/<td class="num">1\.200<\/td>/);
    expect(body).toMatch(/<svg role="img" aria-label="Biểu đồ cột/);
    expect(body).not.toMatch(/style=|<style/);
    const list = text((await admin.get('/rounds')).body);
    expect(list).toContain('href="/rounds/R-TEST-1"');
    expect(list).toContain('Đang mở');
    expect(list).toContain('0 / 1.320');
  });

  it('answers invalid forms with 400 and Vietnamese errors, keeping what was typed; a taken code or overlapping unit is a 409', async () => {
    const admin = await Client.as('admin');
    await admin.get('/rounds');
    const bad = await admin.post('/rounds', { code: 'R-BAD', name: 'Sai', questionnaire: 'sipas-2017', opensOn: '31/02/2026', closesOn: day(10).vi, quotas: 'SNV mười\nSNV 5', onQuotaFull: 'continue' });
    expect(bad.statusCode).toBe(400);
    const body = text(bad.body);
    expect(body).toContain('Ngày mở: "31/02/2026" không phải ngày hợp lệ');
    expect(body).toContain('Chỉ tiêu, dòng 1');
    expect(body).toContain('value="R-BAD"');
    expect(await product.db.prisma.round.count({ where: { code: 'R-BAD' } })).toBe(0);

    const reversed = await admin.post('/rounds', { code: 'R-BAD', name: 'Sai', questionnaire: 'sipas-2017', opensOn: day(10).vi, closesOn: day(5).vi, quotas: 'SNV 5', onQuotaFull: 'continue' });
    expect(reversed.statusCode).toBe(400);
    expect(text(reversed.body)).toContain('Ngày mở không được sau ngày đóng.');

    const unknown = await admin.post('/rounds', { code: 'R-BAD', name: 'Sai', questionnaire: 'sipas-2017', opensOn: day(100).vi, closesOn: day(110).vi, quotas: 'KHONGCO 5', onQuotaFull: 'continue' });
    expect(unknown.statusCode).toBe(400);
    expect(text(unknown.body)).toContain('Không có đơn vị với mã: KHONGCO.');

    const taken = await admin.post('/rounds', { code: 'R-TEST-1', name: 'Trùng', questionnaire: 'sipas-2017', opensOn: day(100).vi, closesOn: day(110).vi, quotas: 'SNV 5', onQuotaFull: 'continue' });
    expect(taken.statusCode).toBe(409);
    expect(text(taken.body)).toContain('Đã có đợt khảo sát với mã này');

    const overlap = await admin.post('/rounds', { code: 'R-OVER', name: 'Chồng', questionnaire: 'sipas-2017', opensOn: day(5).vi, closesOn: day(8).vi, quotas: 'XTP 5', onQuotaFull: 'continue' });
    expect(overlap.statusCode).toBe(409);
    expect(text(overlap.body)).toContain('Đơn vị XTP đã thuộc đợt R-TEST-1');
  });

  it('shows officers their units only and never lets them edit (403); viewers read without forms', async () => {
    const admin = await Client.as('admin');
    await admin.get('/rounds');
    const other = await admin.post('/rounds', { code: 'R-XTP', name: 'Đợt riêng xã', questionnaire: 'sipas-2017', opensOn: day(60).vi, closesOn: day(70).vi, quotas: 'XTP 10', onQuotaFull: 'continue' });
    expect(other.statusCode, other.body).toBe(303);

    const officer = await Client.as('canbo');
    const list = text((await officer.get('/rounds')).body);
    expect(list).toContain('href="/rounds/R-TEST-1"');
    expect(list).not.toContain('R-XTP');
    expect(list).toContain('0 / 120');
    expect(list).not.toContain('Tạo đợt khảo sát');
    expect((await officer.get('/rounds/R-XTP')).statusCode).toBe(404);
    const detail = await officer.get('/rounds/R-TEST-1');
    expect(detail.statusCode).toBe(200);
    expect(text(detail.body)).toContain('Sở Nội vụ (SNV)');
    expect(text(detail.body)).not.toContain('UBND xã Tân Phong');
    expect(detail.body).not.toContain('Sửa đợt khảo sát');
    expect(detail.body).toContain('Tải lên và rút mẫu');
    expect((await officer.post('/rounds/R-TEST-1', { name: 'Đổi tên' })).statusCode).toBe(403);
    expect((await officer.post('/rounds/R-TEST-1/close', {})).statusCode).toBe(403);
    expect((await officer.post('/rounds', { code: 'R-OFF', name: 'x', questionnaire: 'sipas-2017', opensOn: day(80).vi, closesOn: day(85).vi, quotas: 'SNV 1' })).statusCode).toBe(403);
    expect((await product.db.prisma.round.findUniqueOrThrow({ where: { code: 'R-TEST-1' } })).name).toBe('Đợt thử nghiệm quý IV');

    const viewer = await Client.as('xem');
    const seen = text((await viewer.get('/rounds/R-TEST-1')).body);
    expect(seen).toContain('UBND xã Tân Phong (XTP)');
    expect(seen).not.toContain('Tải lên và rút mẫu');
    expect(seen).not.toContain('href="/counter-qr/');
    expect((await viewer.post('/rounds/R-TEST-1', { name: 'Đổi tên' })).statusCode).toBe(403);
  });

  it('lets an administrator edit (rename, dates, quotas) and close a round early, each audited', async () => {
    const admin = await Client.as('admin');
    await admin.get('/rounds/R-XTP');
    const unchanged = await admin.post('/rounds/R-XTP', { name: 'Đợt riêng xã', opensOn: day(60).iso, closesOn: day(70).vi, eligibleFrom: '', eligibleTo: '', quotas: 'XTP 10', onQuotaFull: 'continue' });
    expect([unchanged.statusCode, unchanged.headers.location]).toEqual([303, '/rounds/R-XTP?done=unchanged']);
    const bad = await admin.post('/rounds/R-XTP', { name: 'Đợt riêng xã', opensOn: day(60).vi, closesOn: '99/99/2026', quotas: 'XTP 10', onQuotaFull: 'continue' });
    expect(bad.statusCode).toBe(400);
    expect(text(bad.body)).toContain('Ngày đóng: "99/99/2026" không phải ngày hợp lệ');
    const res = await admin.post('/rounds/R-XTP', { name: 'Đợt xã (đã sửa)', opensOn: day(61).vi, closesOn: day(75).vi, eligibleFrom: '', eligibleTo: '', quotas: 'XTP 15', onQuotaFull: 'continue' });
    expect([res.statusCode, res.headers.location], res.body).toEqual([303, '/rounds/R-XTP?done=updated']);
    const round = await product.db.prisma.round.findUniqueOrThrow({ where: { code: 'R-XTP' }, include: { quotas: true } });
    expect([round.name, round.opensOn.toISOString().slice(0, 10), round.closesOn.toISOString().slice(0, 10), round.quotas.map((q) => q.target)]).toEqual(['Đợt xã (đã sửa)', day(61).iso, day(75).iso, [15]]);
    const audit = await product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'round.update' }, orderBy: { id: 'desc' } });
    expect(audit.actor).toBe(`user:${ids.get('admin')}`);
    expect((audit.details as { fields: string[] }).fields.sort()).toEqual(['closesOn', 'name', 'opensOn', 'quotas']);

    // Closing early ends the round today: a round that has not opened yet cannot be.
    await admin.get('/rounds/R-XTP');
    const early = await admin.post('/rounds/R-XTP/close', {});
    expect(early.statusCode).toBe(409);
    expect(text(early.body)).toContain('Đợt chưa bắt đầu nên không thể kết thúc sớm');
    expect((await product.db.prisma.round.findUniqueOrThrow({ where: { code: 'R-XTP' } })).closedAt).toBeNull();
  });

  it('takes the dossier frame as a CSV file and shows accepted and rejected counts, each rejected row’s reason in Vietnamese, the seed and sample sizes', async () => {
    const officer = await Client.as('canbo');
    await officer.get('/rounds/R-TEST-1');
    const csv = [
      'Mã đơn vị,Mã hồ sơ,Ngày hoàn thành,Mã Telegram',
      `SNV,HS-001,${day(-1).vi},7770001`,
      `SNV,HS-002,${day(-2).vi},7770002`,
      `XTP,HS-003,${day(-1).vi},7770003`,
      `SNV,HS-004,${day(5).vi},7770004`,
      `SNV,HS-001,${day(-1).vi},7770001`,
      'SNV,,không phải ngày,7770005',
    ].join('\n');
    const res = await officer.postFile('/rounds/R-TEST-1/frame', { size: 'quota', waves: '2', seed: 'hat-giong-1' }, { name: 'frame', filename: 'ho-so.csv', text: csv });
    expect(res.statusCode, res.body).toBe(200);
    const body = text(res.body);
    expect(body).toContain('Đã đọc 6 dòng: nhận 2 (thêm mới 2), loại 4.');
    expect(body).toContain('hat-giong-1');
    expect(body).toMatch(/<th scope="row">SNV<\/th>\s*<td class="num">120<\/td>\s*<td class="num">2<\/td>\s*<td class="num">2<\/td>/);
    expect(body).toContain('Đơn vị XTP không có chỉ tiêu trong đợt này (hoặc không thuộc phạm vi của bạn).');
    expect(body).toContain(`Ngày hoàn thành ở tương lai (${day(5).vi}).`);
    expect(body).toContain('Hồ sơ trùng với dòng 1.');
    expect(body).toContain('Thiếu hoặc sai: mã hồ sơ, ngày hoàn thành.');
    expect(await product.db.prisma.frameRow.count()).toBe(2);
    const audit = await product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'round.frame' } });
    expect(audit.actor).toBe(`user:${ids.get('canbo')}`);

    // Another seed than the recorded one is refused, in Vietnamese.
    const seed = await officer.postFile('/rounds/R-TEST-1/frame', { size: 'quota', waves: '1', seed: 'khac' }, { name: 'frame', filename: 'ho-so.csv', text: csv });
    expect(seed.statusCode).toBe(409);
    expect(text(seed.body)).toContain('Đợt này rút mẫu với hạt giống "hat-giong-1"');
    const empty = await officer.postFile('/rounds/R-TEST-1/frame', { size: 'quota' }, { name: 'frame', filename: 'rong.csv', text: '' });
    expect(empty.statusCode).toBe(400);
    expect(text(empty.body)).toContain('Hãy chọn tệp CSV');
    // The CSRF token is checked on multipart forms too.
    officer.csrf = 'sai';
    expect((await officer.postFile('/rounds/R-TEST-1/frame', { size: 'quota' }, { name: 'frame', filename: 'ho-so.csv', text: csv })).statusCode).toBe(403);
  });
});

describe('closing a round early', () => {
  it('closes the open round today through its form, audited; a closed round takes no more frames or closing', async () => {
    const admin = await Client.as('admin');
    await admin.get('/rounds/R-TEST-1');
    const closed = await admin.post('/rounds/R-TEST-1/close', {});
    expect([closed.statusCode, closed.headers.location], closed.body).toEqual([303, '/rounds/R-TEST-1?done=closed']);
    const round = await product.db.prisma.round.findUniqueOrThrow({ where: { code: 'R-TEST-1' } });
    expect(round.closedAt).not.toBeNull();
    expect(round.closesOn.toISOString().slice(0, 10)).toBe(day(0).iso);
    const audit = await product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'round.update' }, orderBy: { id: 'desc' } });
    expect([audit.actor, (audit.details as { fields: string[] }).fields]).toEqual([`user:${ids.get('admin')}`, ['close']]);
    const after = text((await admin.get(closed.headers.location as string)).body);
    expect(after).toContain('Đã kết thúc đợt khảo sát.');
    expect(after).toContain('Đã đóng');
    expect(after).not.toContain('Kết thúc đợt ngay');
    expect(after).not.toContain('Tải lên và rút mẫu');
    expect((await admin.post('/rounds/R-TEST-1/close', {})).statusCode).toBe(409);
    // Only the name of a closed round changes.
    const renamed = await admin.post('/rounds/R-TEST-1', { name: 'Đợt thử nghiệm (đã đóng)' });
    expect(renamed.statusCode, renamed.body).toBe(303);
    expect((await product.db.prisma.round.findUniqueOrThrow({ where: { code: 'R-TEST-1' } })).name).toBe('Đợt thử nghiệm (đã đóng)');
  });
});

describe('/counter-qr/:unitCode', () => {
  it('gives administrators any unit’s A5 poster with the open-survey QR for Telegram and the Zalo steps', async () => {
    const admin = await Client.as('admin');
    const res = await admin.get('/counter-qr/XTP');
    expect(res.statusCode).toBe(200);
    const body = text(res.body);
    expect(body).toContain('UBND xã Tân Phong');
    expect(body).toContain('https://t.me/sipas_test_bot?start=u_XTP');
    expect(body).toMatch(/<img class="poster-qr" src="data:image\/png;base64,[A-Za-z0-9+/=]{200,}"/);
    expect(body).toContain('/start u_XTP');
    expect(body).toContain('Quan tâm');
  });

  it('gives officers their own units’ posters only; viewers none; an unknown unit is a 404', async () => {
    const officer = await Client.as('canbo');
    expect((await officer.get('/counter-qr/SNV')).statusCode).toBe(200);
    expect((await officer.get('/counter-qr/XTP')).statusCode).toBe(403);
    const viewer = await Client.as('xem');
    expect((await viewer.get('/counter-qr/SNV')).statusCode).toBe(403);
    const admin = await Client.as('admin');
    expect((await admin.get('/counter-qr/KHONGCO')).statusCode).toBe(404);
  });
});
