/**
 * The console's administration pages over fastify inject (a browser without JavaScript):
 * units, unit groups, API keys, the audit log and the queues, for administrators only.
 */
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/users/user-store.js';
import { csrfTokenIn } from '../support/console-http.js';
import { startProduct, type Product } from '../support/start-product.js';
import { putUnits, SNV, XTP } from '../support/units.js';
import { waitUntil } from '../support/wait-until.js';

let product: Product;
const PASSWORDS = { admin: 'mat-khau-admin-01', officer: 'mat-khau-can-bo-1', viewer: 'mat-khau-xem-0001' };

beforeAll(async () => {
  product = await startProduct({}, { worker: false });
  await putUnits(product.app!, [SNV, XTP]);
  await createUser(product.db.prisma, { username: 'quantri', displayName: 'Quản Trị', role: 'admin', unitCodes: [], password: PASSWORDS.admin });
  await createUser(product.db.prisma, { username: 'canbo', displayName: 'Cán Bộ', role: 'officer', unitCodes: ['SNV'], password: PASSWORDS.officer });
  await createUser(product.db.prisma, { username: 'nguoixem', displayName: 'Người Xem', role: 'viewer', unitCodes: [], password: PASSWORDS.viewer });
});
afterAll(async () => product?.stop());

type Reply = { statusCode: number; body: string; headers: Record<string, unknown>; cookies: { name: string; value: string }[] };

/** A browser without JavaScript: a cookie jar, GETs and form posts (url-encoded or multipart). */
class Browser {
  private jar = new Map<string, string>();
  csrf = '';
  private cookie = () => [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  private keep(res: Reply) {
    for (const c of res.cookies) this.jar.set(c.name, c.value);
    const token = csrfTokenIn(res.body);
    if (token) this.csrf = token;
    return res;
  }
  async get(url: string): Promise<Reply> {
    return this.keep((await product.app!.inject({ method: 'GET', url, headers: { cookie: this.cookie() } })) as unknown as Reply);
  }
  async post(url: string, body: Record<string, string>): Promise<Reply> {
    const payload = new URLSearchParams({ _csrf: this.csrf, ...body }).toString();
    return this.keep((await product.app!.inject({ method: 'POST', url, headers: { cookie: this.cookie(), 'content-type': 'application/x-www-form-urlencoded' }, payload })) as unknown as Reply);
  }
  /** A form with a file input, as a browser sends it (multipart/form-data). */
  async postFile(url: string, fields: Record<string, string>, file: { name: string; filename: string; text: string }): Promise<Reply> {
    const form = new FormData();
    form.set('_csrf', this.csrf);
    for (const [k, v] of Object.entries(fields)) form.set(k, v);
    form.set(file.name, new Blob([file.text], { type: 'text/csv' }), file.filename);
    const req = new Request('http://x/', { method: 'POST', body: form });
    const payload = Buffer.from(await req.arrayBuffer());
    return this.keep((await product.app!.inject({ method: 'POST', url, headers: { cookie: this.cookie(), 'content-type': req.headers.get('content-type')! }, payload })) as unknown as Reply);
  }
  static async login(username: string, password: string): Promise<Browser> {
    const b = new Browser();
    await b.get('/login');
    const res = await b.post('/login', { username, password });
    expect(res.statusCode, res.body).toBe(303);
    await b.get('/');
    return b;
  }
}

const userActorOf = async (username: string) => `user:${(await product.db.prisma.user.findUniqueOrThrow({ where: { username } })).id}`;
/** The visible text of a page, tags stripped (for "shown as a person reads it" checks). */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const PAGES = [
  ['/admin/units', 'Đơn vị'],
  ['/admin/unit-groups', 'Nhóm đơn vị'],
  ['/admin/api-keys', 'Khóa API'],
  ['/admin/audit', 'Nhật ký'],
  ['/admin/queues', 'Hàng đợi'],
] as const;

describe('administration pages: who may open them', () => {
  it('an admin opens each page, titled in Vietnamese and listed in the navigation', async () => {
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    for (const [path, title] of PAGES) {
      const res = await admin.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body).toContain(`<h1>${title}</h1>`);
      expect(res.body).toContain(`<a href="${path}" aria-current="page">${title}</a>`);
      expect(res.body, `${path}: no inline style`).not.toMatch(/\sstyle=/);
    }
  });

  it('officers and viewers get the 403 page on every path and form, and nothing changes', async () => {
    const apiKeyId = (await product.db.prisma.apiKey.create({ data: { name: 'cho-403', prefix: 'aaaaaaaaaaaa', hash: 'x', role: 'viewer', unitCodes: [] } })).id;
    const posts: [string, Record<string, string>][] = [
      ['/admin/units', { code: 'HACK', name: 'Hack', group: 'department' }],
      ['/admin/unit-upload', { csv: 'code,name,group\nHACK,Hack,department' }],
      ['/admin/units/SNV', { name: 'Đổi tên', group: 'department', active: '0' }],
      ['/admin/unit-groups', { code: 'hack', label: 'Hack', order: '1' }],
      ['/admin/unit-groups/department', { label: 'Hack', order: '1' }],
      ['/admin/api-keys', { name: 'hack', role: 'admin', units: '' }],
      [`/admin/api-keys/${apiKeyId}/revoke`, {}],
      ['/admin/queues/maintenance/retry', {}],
    ];
    const auditBefore = await product.db.prisma.auditLog.count({ where: { NOT: { action: { startsWith: 'console.' } } } });
    for (const [username, password] of [
      ['canbo', PASSWORDS.officer],
      ['nguoixem', PASSWORDS.viewer],
    ] as const) {
      const who = await Browser.login(username, password);
      expect(who.csrf).not.toBe('');
      for (const path of [...PAGES.map(([p]) => p), '/admin/units/SNV', '/admin/unit-groups/department']) {
        const res = await who.get(path);
        expect([path, res.statusCode]).toEqual([path, 403]);
        expect(res.body).toContain('Không có quyền truy cập');
      }
      for (const [path, body] of posts) expect([path, (await who.post(path, body)).statusCode]).toEqual([path, 403]);
      const home = await who.get('/');
      for (const [path] of PAGES) expect(home.body).not.toContain(`href="${path}"`);
    }
    expect(await product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'SNV' } })).toMatchObject({ name: SNV.name, active: true });
    expect(await product.db.prisma.unit.count({ where: { code: 'HACK' } })).toBe(0);
    expect(await product.db.prisma.apiKey.count({ where: { name: 'hack' } })).toBe(0);
    expect((await product.db.prisma.apiKey.findUniqueOrThrow({ where: { id: apiKeyId } })).revokedAt).toBeNull();
    expect(await product.db.prisma.auditLog.count({ where: { NOT: { action: { startsWith: 'console.' } } } })).toBe(auditBefore);
  });

  it('refuses a form post without the session’s CSRF token', async () => {
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    admin.csrf = 'not-the-token';
    expect((await admin.post('/admin/units', { code: 'NOCSRF', name: 'X', group: 'department' })).statusCode).toBe(403);
    expect(await product.db.prisma.unit.count({ where: { code: 'NOCSRF' } })).toBe(0);
  });
});

describe('/admin/units', () => {
  it('lists units with their group, adds one, edits and deactivates it (audited with the admin as actor)', async () => {
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    const list = await admin.get('/admin/units');
    expect(list.body).toContain('Sở Nội vụ');
    expect(list.body).toContain('href="/admin/units/XTP"');

    const added = await admin.post('/admin/units', { code: 'SYT', name: 'Sở Y tế', group: 'department', parentCode: '' });
    expect([added.statusCode, added.headers.location]).toEqual([303, '/admin/units?added=SYT']);
    expect((await admin.get('/admin/units?added=SYT')).body).toContain('Đã thêm đơn vị SYT.');
    // This process's open-survey unit list sees the change at once (as after the API's upload).
    const openSurveyUnits = async () => (await product.services.conversations.units.list()).map((u) => u.code);
    expect(await openSurveyUnits()).toContain('SYT');
    const again = await admin.post('/admin/units', { code: 'SYT', name: 'Khác', group: 'department' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Đã có đơn vị với mã SYT');
    const bad = await admin.post('/admin/units', { code: 'có dấu', name: '', group: 'department' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Mã đơn vị: 1–64 ký tự');
    expect(bad.body).toContain('Tên đơn vị không được để trống');
    expect(bad.body).toContain('value="có dấu"');

    const edit = await admin.get('/admin/units/SYT');
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('Sửa đơn vị SYT');
    const saved = await admin.post('/admin/units/SYT', { name: 'Sở Y tế tỉnh', group: 'commune', active: '0' });
    expect([saved.statusCode, saved.headers.location]).toEqual([303, '/admin/units?updated=SYT']);
    expect(await product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'SYT' } })).toMatchObject({ name: 'Sở Y tế tỉnh', group: 'commune', active: false });
    expect(await openSurveyUnits()).not.toContain('SYT');
    const after = await admin.get('/admin/units?updated=SYT');
    expect(after.body).toContain('Đã lưu đơn vị SYT.');
    expect(text(after.body)).toMatch(/SYT Sở Y tế tỉnh .*Ngừng hoạt động/);
    const emptyName = await admin.post('/admin/units/SYT', { name: '  ', group: 'commune', active: '1' });
    expect(emptyName.statusCode).toBe(400);
    expect(emptyName.body).toContain('Tên đơn vị không được để trống');
    expect((await admin.get('/admin/units/KHONG-CO')).statusCode).toBe(404);

    const actor = await userActorOf('quantri');
    const audits = await product.db.prisma.auditLog.findMany({ where: { action: { in: ['units.upsert', 'units.update'] }, actor }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.action, a.details])).toEqual([
      ['units.upsert', { created: 1, updated: 0 }],
      ['units.update', { code: 'SYT', changed: ['active', 'name', 'group'], active: false, name: 'Sở Y tế tỉnh', group: 'commune' }],
    ]);
  });

  it('uploads a units CSV file; a bad row is refused with its reason in Vietnamese and nothing is saved', async () => {
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    await admin.get('/admin/units');
    const badCsv = 'code;name;group;parentCode\nSTP;Sở Tư pháp;department;\nSTC;;department;\nSTP;Trùng;department;\n';
    const refused = await admin.postFile('/admin/unit-upload', { csv: '' }, { name: 'file', filename: 'don-vi.csv', text: badCsv });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('2 dòng không hợp lệ; chưa lưu đơn vị nào.');
    expect(refused.body).toContain('Dòng 2: Tên đơn vị không được để trống');
    expect(refused.body).toMatch(/Dòng 3: Mã (&#34;|&quot;)STP(&#34;|&quot;) đã có ở dòng 1\./);
    expect(await product.db.prisma.unit.count({ where: { code: { in: ['STP', 'STC'] } } })).toBe(0);

    const unknownColumn = await admin.post('/admin/unit-upload', { csv: 'code,name,group,phone\nSTP,Sở Tư pháp,department,0912\n' });
    expect(unknownColumn.statusCode).toBe(400);
    expect(unknownColumn.body).toContain('Dòng 1: Cột không được hỗ trợ');
    expect(unknownColumn.body).toContain('code,name,group,phone');

    const ok = await admin.postFile('/admin/unit-upload', { csv: '' }, { name: 'file', filename: 'don-vi.csv', text: '\uFEFFcode,name,group\nSTP,Sở Tư pháp,department\nSNV,Sở Nội vụ,department\n' });
    expect([ok.statusCode, ok.headers.location]).toEqual([303, '/admin/units?total=2&created=1']);
    expect((await admin.get(ok.headers.location as string)).body).toContain('Đã tải lên 2 đơn vị (1 đơn vị mới, 1 đơn vị cập nhật).');
    expect(await product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'STP' } })).toMatchObject({ name: 'Sở Tư pháp', active: true });
    const empty = await admin.post('/admin/unit-upload', { csv: '  ' });
    expect([empty.statusCode, empty.body.includes('Hãy chọn một tệp CSV')]).toEqual([400, true]);
  });
});

describe('/admin/unit-groups', () => {
  it('lists groups, edits label, order and separate ranking, adds one, and refuses a bad order', async () => {
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    const list = await admin.get('/admin/unit-groups');
    expect(list.body).toContain('href="/admin/unit-groups/department"');
    const edit = await admin.get('/admin/unit-groups/department');
    expect(edit.statusCode).toBe(200);
    const saved = await admin.post('/admin/unit-groups/department', { label: 'Sở, ban, ngành', order: '2', rankSeparately: '1' });
    expect([saved.statusCode, saved.headers.location]).toEqual([303, '/admin/unit-groups?saved=department']);
    expect(await product.db.prisma.unitGroup.findUniqueOrThrow({ where: { code: 'department' } })).toMatchObject({ label: 'Sở, ban, ngành', order: 2, rankSeparately: true });
    const after = await admin.get('/admin/unit-groups?saved=department');
    expect(after.body).toContain('Đã lưu nhóm đơn vị department.');
    expect(text(after.body)).toContain('department Sở, ban, ngành 2 Riêng trong nhóm');

    // Unchecked box: the browser sends nothing, so ranking goes back to province-wide.
    await admin.post('/admin/unit-groups/department', { label: 'Sở, ban, ngành', order: '2' });
    expect((await product.db.prisma.unitGroup.findUniqueOrThrow({ where: { code: 'department' } })).rankSeparately).toBe(false);

    const badOrder = await admin.post('/admin/unit-groups/department', { label: 'Sở', order: 'hai' });
    expect(badOrder.statusCode).toBe(400);
    expect(badOrder.body).toContain('Thứ tự là số nguyên từ 0 đến 1.000.000.');
    expect(badOrder.body).toContain('value="hai"');

    const added = await admin.post('/admin/unit-groups', { code: 'vpdk', label: 'Chi nhánh VPĐKĐĐ', order: '5', rankSeparately: '1' });
    expect(added.statusCode).toBe(303);
    expect(await product.db.prisma.unitGroup.findUniqueOrThrow({ where: { code: 'vpdk' } })).toMatchObject({ label: 'Chi nhánh VPĐKĐĐ', order: 5, rankSeparately: true });
    expect((await admin.post('/admin/unit-groups', { code: 'vpdk', label: 'Khác', order: '1' })).statusCode).toBe(409);
    expect((await admin.get('/admin/unit-groups/khong-co')).statusCode).toBe(404);
    const audit = await product.db.prisma.auditLog.findMany({ where: { action: 'unit-groups.upsert', actor: await userActorOf('quantri') } });
    expect(audit.map((a) => (a.details as { codes: string[] }).codes)).toEqual([['department'], ['department'], ['vpdk']]);
  });
});

describe('/admin/api-keys', () => {
  it('creates a key shown once, usable against /api/v1, then refused once revoked', async () => {
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    await admin.get('/admin/api-keys');
    const created = await admin.post('/admin/api-keys', { name: 'Một cửa tỉnh', role: 'officer', units: 'SNV, XTP' });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const key = /value="(sk_[0-9a-f]{12}_[A-Za-z0-9_-]+)"/.exec(created.body)?.[1];
    expect(key, 'the new key on the result page').toBeTruthy();
    expect(created.body).toContain('Khóa chỉ hiện một lần này');
    expect(created.body).toContain('Authorization: Bearer &lt;khóa');
    const row = await product.db.prisma.apiKey.findFirstOrThrow({ where: { name: 'Một cửa tỉnh' } });
    expect([row.role, row.unitCodes, row.hash === key]).toEqual(['officer', ['SNV', 'XTP'], false]);

    const list = await admin.get('/admin/api-keys');
    expect(list.body).not.toContain(key!);
    expect(list.body).toContain(`sk_${row.prefix}_…`);
    expect(text(list.body)).toContain('Một cửa tỉnh');
    expect(text(list.body)).toContain('Chưa dùng');

    const call = () => product.app!.inject({ method: 'GET', url: '/api/v1/units', headers: { authorization: `Bearer ${key}` } });
    expect((await call()).statusCode).toBe(200);
    await waitUntil(async () => (await product.db.prisma.apiKey.findUniqueOrThrow({ where: { id: row.id } })).lastUsedAt !== null, 'last use recorded');
    expect(text((await admin.get('/admin/api-keys')).body)).toMatch(/Một cửa tỉnh sk_[0-9a-f]{12}_… Cán bộ SNV, XTP \d\d\/\d\d\/\d{4} \d\d:\d\d \d\d\/\d\d\/\d{4} \d\d:\d\d Đang dùng/);

    const revoked = await admin.post(`/admin/api-keys/${row.id}/revoke`, {});
    expect([revoked.statusCode, revoked.headers.location]).toEqual([303, `/admin/api-keys?revoked=${encodeURIComponent('Một cửa tỉnh')}`]);
    expect((await call()).statusCode).toBe(401);
    expect(text((await admin.get('/admin/api-keys')).body)).toContain('Đã thu hồi lúc');
    expect((await admin.post(`/admin/api-keys/${row.id}/revoke`, {})).statusCode).toBe(409);
    expect((await admin.post('/admin/api-keys/khong-phai-uuid/revoke', {})).statusCode).toBe(404);

    const actor = await userActorOf('quantri');
    const audits = await product.db.prisma.auditLog.findMany({ where: { action: { startsWith: 'apikey.' }, actor }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => [a.action, (a.details as { keyId: string }).keyId])).toEqual([
      ['apikey.create', row.id],
      ['apikey.revoke', row.id],
    ]);
    expect(JSON.stringify((await product.db.prisma.auditLog.findMany({ select: { actor: true, action: true, details: true } })))).not.toContain(key!);
  });

  it('refuses a key with a Vietnamese reason, keeping what was typed', async () => {
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    await admin.get('/admin/api-keys');
    const noUnit = await admin.post('/admin/api-keys', { name: 'Cán bộ thiếu', role: 'officer', units: '' });
    expect([noUnit.statusCode, noUnit.body.includes('Khóa của cán bộ cần ít nhất một mã đơn vị.')]).toEqual([400, true]);
    expect(noUnit.body).toContain('value="Cán bộ thiếu"');
    const unknown = await admin.post('/admin/api-keys', { name: 'Sai đơn vị', role: 'officer', units: 'KHONG' });
    expect(unknown.body).toContain('Không có đơn vị với mã KHONG.');
    const viewerUnits = await admin.post('/admin/api-keys', { name: 'Xem', role: 'viewer', units: 'SNV' });
    expect(viewerUnits.body).toContain('Chỉ khóa của cán bộ mới gắn với đơn vị');
    const noName = await admin.post('/admin/api-keys', { name: ' ', role: 'viewer', units: '' });
    expect([noName.statusCode, noName.body.includes('Tên khóa không được để trống')]).toEqual([400, true]);
    expect(await product.db.prisma.apiKey.count({ where: { name: { in: ['Cán bộ thiếu', 'Sai đơn vị', 'Xem'] } } })).toBe(0);
  });
});

describe('/admin/audit', () => {
  it('shows entries newest first with readable details, filters by actor, action and days, and pages to older ones', async () => {
    const actor = await userActorOf('quantri');
    // Entries on known days (Vietnam time) to filter on.
    await product.db.prisma.auditLog.createMany({
      data: [
        { actor, action: 'test.old', details: { round: 'R-2025', units: ['SNV', 'XTP'], test: true }, at: new Date('2025-03-01T17:30:00Z') }, // 02/03/2025 00:30 in Vietnam
        { actor: 'cli', action: 'test.old', details: { nested: { count: 3 } }, at: new Date('2025-03-02T16:59:00Z') }, // 02/03/2025 23:59
        { actor: 'cli', action: 'test.old', details: {}, at: new Date('2025-03-02T17:00:00Z') }, // 03/03/2025 00:00
      ],
    });
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    const all = await admin.get('/admin/audit');
    expect(all.statusCode).toBe(200);
    expect(text(all.body)).toContain('Quản Trị (quantri)');
    const byDay = await admin.get('/admin/audit?action=test.old&from=02%2F03%2F2025&to=2025-03-02');
    expect(byDay.statusCode).toBe(200);
    const shown = text(byDay.body);
    expect(shown).toContain('02/03/2025 23:59');
    expect(shown).toContain('02/03/2025 00:30');
    expect(shown).not.toContain('03/03/2025 00:00');
    expect(shown.indexOf('02/03/2025 23:59')).toBeLessThan(shown.indexOf('02/03/2025 00:30'));
    expect(shown).toContain('round: R-2025');
    expect(shown).toContain('units: SNV, XTP');
    expect(shown).toContain('test: có');
    expect(shown).toContain('nested.count: 3');
    expect(shown).toContain('Dòng lệnh trên máy chủ');

    const byActor = await admin.get('/admin/audit?actor=quantri&action=test.old');
    expect(text(byActor.body)).toContain('round: R-2025');
    expect(text(byActor.body)).not.toContain('nested.count');

    const badDay = await admin.get('/admin/audit?from=31%2F02%2F2025');
    expect(badDay.statusCode).toBe(400);
    expect(badDay.body).toContain('không phải một ngày hợp lệ');

    // More than a page: the "older" link carries the filters and a cursor, and shows the rest.
    await product.db.prisma.auditLog.createMany({ data: Array.from({ length: 55 }, (_, i) => ({ actor: 'cli', action: 'test.many', details: { n: i } })) });
    const first = await admin.get('/admin/audit?action=test.many');
    expect((first.body.match(/<li>n: /g) ?? []).length).toBe(50);
    expect(text(first.body)).toContain('n: 54');
    const older = /href="\/admin\/audit\?action=test\.many&(?:amp;|#38;)?before=(\d+)"/.exec(first.body)?.[1];
    expect(older, 'a link to older entries, keeping the filter').toBeTruthy();
    const second = await admin.get(`/admin/audit?action=test.many&before=${older}`);
    expect((second.body.match(/<li>n: /g) ?? []).length).toBe(5);
    expect(text(second.body)).toContain('n: 0');
    expect(text(second.body)).not.toContain('n: 54');
    expect(second.body).not.toContain('Cũ hơn');
  });

  it('never shows a secret-looking detail', async () => {
    await product.db.prisma.auditLog.create({ data: { actor: 'cli', action: 'test.secret', details: { password: 'mat-khau-lo', token: 'tok-lo', keyId: 'k-1' } } });
    const admin = await Browser.login('quantri', PASSWORDS.admin);
    const page = await admin.get('/admin/audit?action=test.secret');
    expect(page.body).toContain('keyId: k-1');
    expect(page.body).not.toContain('mat-khau-lo');
    expect(page.body).not.toContain('tok-lo');
  });
});

describe('/admin/queues', () => {
  it('shows counts per queue, the workers’ state and the latest failures without payloads; retries a queue’s failed jobs (audited)', async () => {
    const PHONE = '0912345678';
    const queues = product.ctx.queues;
    const connection = new Redis(product.redis.url, { maxRetriesPerRequest: null });
    // The simulator's queue: no scheduled jobs there, and no product worker in this test.
    const worker = new Worker(
      'outbound-simulator',
      async () => {
        throw new Error('dịch vụ tạm lỗi');
      },
      { connection, prefix: queues.prefix },
    );
    try {
      await queues.queue('outbound-simulator').add('test-sweep', { phone: PHONE }, { attempts: 1, jobId: 'sweep-1' });
      await queues.queue('outbound-simulator').add('test-sweep', { phone: PHONE }, { attempts: 1, jobId: 'sweep-2' });
      await waitUntil(async () => (await queues.queue('outbound-simulator').getFailedCount()) === 2, 'both jobs failed');
    } finally {
      await worker.close();
      await connection.quit();
    }
    // As the product's workers do with a job that failed for good: its payload is removed.
    await (await queues.queue('outbound-simulator').getJob('sweep-2'))!.updateData({ redacted: true });
    await queues.deadLetters().add('persist-answers', { queue: 'answers', jobId: 'ans-x', name: 'persist-answers', data: { chatId: PHONE }, error: 'câu hỏi không tồn tại', failedAt: new Date().toISOString() }, { jobId: 'answers-ans-x' });
    await queues.queue('reminders').add('test-remind', { phone: PHONE }, { delay: 60_000, jobId: 'remind-1' });

    const admin = await Browser.login('quantri', PASSWORDS.admin);
    const page = await admin.get('/admin/queues');
    expect(page.statusCode).toBe(200);
    const shown = text(page.body);
    expect(shown).toMatch(/Gửi tin Telegram outbound-telegram 0 0 0 0 0 Không 0 0/);
    expect(shown).toMatch(/Nhắc nhở reminders 0 0 1 0 0 Không 0 0/);
    expect(shown).toMatch(/Gửi tin giả lập outbound-simulator 0 0 0 0 2 Không 0 0/);
    expect(shown).toMatch(/Lưu câu trả lời answers 0 0 0 0 0 Không 1 0/);
    expect(shown).toContain('Không có tiến trình xử lý nào báo hoạt động');
    expect(shown).toMatch(/Gửi tin giả lập test-sweep dịch vụ tạm lỗi 1 \d\d\/\d\d\/\d{4}/);
    expect(shown).toMatch(/Lưu câu trả lời persist-answers câu hỏi không tồn tại/);
    expect(page.body).not.toContain(PHONE);
    expect(page.body).toContain('action="/admin/queues/outbound-simulator/retry"');
    expect(page.body).toContain('action="/admin/queues/answers/retry"');
    expect(page.body).not.toContain('action="/admin/queues/reminders/retry"');

    const retried = await admin.post('/admin/queues/outbound-simulator/retry', {});
    expect(retried.statusCode).toBe(303);
    expect(text((await admin.get(retried.headers.location as string)).body)).toContain('Hàng đợi Gửi tin giả lập: đã chạy lại 1 việc; 1 việc đã bị xóa dữ liệu nên không chạy lại được.');
    expect(await queues.queue('outbound-simulator').getJobState('sweep-1')).toBe('waiting');
    expect(await queues.queue('outbound-simulator').getJobState('sweep-2')).toBe('failed');
    expect((await admin.post('/admin/queues/answers/retry', {})).statusCode).toBe(303);
    expect(await queues.deadLetters().count()).toBe(0);
    expect(await queues.queue('answers').getWaitingCount()).toBe(1);
    expect((await admin.post('/admin/queues/khong-co/retry', {})).statusCode).toBe(404);

    const audits = await product.db.prisma.auditLog.findMany({ where: { action: 'queue.retry_failed', actor: await userActorOf('quantri') }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.details)).toEqual([
      { queue: 'outbound-simulator', retried: 1, replayed: 0, skipped: 1 },
      { queue: 'answers', retried: 0, replayed: 1, skipped: 0 },
    ]);
  });
});
