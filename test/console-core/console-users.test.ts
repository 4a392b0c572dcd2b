import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/users/password-hash.js';
import { createUser } from '../../src/users/user-store.js';
import { startProduct, type Product } from '../support/start-product.js';
import { putUnits, SNV } from '../support/units.js';

let product: Product;
beforeAll(async () => {
  product = await startProduct({}, { worker: false });
  await putUnits(product.app!, [SNV]);
  await createUser(product.db.prisma, { username: 'admin', displayName: 'Quản trị', role: 'admin', unitCodes: [], password: 'mat-khau-admin-01' });
});
afterAll(async () => product?.stop());

/** A browser without JavaScript: a cookie jar and forms. */
class Browser {
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
  static csrf(html: string) {
    return /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  }
  async login(username: string, password: string) {
    const form = await this.get('/login');
    const res = await this.post('/login', { username, password, _csrf: Browser.csrf(form.body) });
    expect(res.statusCode).toBe(303);
    return this;
  }
}

describe('/admin/users', () => {
  it('adds an officer through the form (audited with the admin as actor, password only hashed)', async () => {
    const admin = await new Browser().login('admin', 'mat-khau-admin-01');
    const page = await admin.get('/admin/users');
    const res = await admin.post('/admin/users', { _csrf: Browser.csrf(page.body), username: 'canbo.snv', displayName: 'Trần Thị B', role: 'officer', units: 'SNV', password: 'mat-khau-can-bo-1' });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/admin/users?created=canbo.snv']);
    const after = await admin.get(res.headers.location as string);
    expect(after.body).toContain('Đã thêm người dùng canbo.snv.');
    expect(after.body).toContain('Trần Thị B');
    const row = await product.db.prisma.user.findUniqueOrThrow({ where: { username: 'canbo.snv' } });
    expect([row.role, row.unitCodes, await verifyPassword('mat-khau-can-bo-1', row.passwordHash)]).toEqual(['officer', ['SNV'], true]);
    const adminId = (await product.db.prisma.user.findUniqueOrThrow({ where: { username: 'admin' } })).id;
    const audit = await product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'user.create', details: { path: ['username'], equals: 'canbo.snv' } }, select: { actor: true, details: true } });
    expect(audit.actor).toBe(`user:${adminId}`);
    expect(JSON.stringify(audit.details)).not.toContain('mat-khau');
  });

  it('re-renders the form with a Vietnamese reason and keeps what was typed (never the password)', async () => {
    const admin = await new Browser().login('admin', 'mat-khau-admin-01');
    const csrf = Browser.csrf((await admin.get('/admin/users')).body);
    const taken = await admin.post('/admin/users', { _csrf: csrf, username: 'canbo.snv', displayName: 'Khác', role: 'viewer', units: '', password: 'mat-khau-khac-123' });
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('Tên đăng nhập này đã có người dùng.');
    expect(taken.body).not.toContain('mat-khau-khac-123');
    const noUnit = await admin.post('/admin/users', { _csrf: csrf, username: 'cb2', displayName: 'Cán bộ 2', role: 'officer', units: '', password: 'mat-khau-can-bo-2' });
    expect([noUnit.statusCode, noUnit.body.includes('Cán bộ cần ít nhất một mã đơn vị.')]).toEqual([400, true]);
    expect(noUnit.body).toContain('value="Cán bộ 2"');
    const bad = await admin.post('/admin/users', { _csrf: csrf, username: 'Có Dấu', displayName: 'X', role: 'viewer', units: '', password: 'ngan' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Tên đăng nhập: 1–64 ký tự');
    expect(bad.body).toContain('Mật khẩu cần ít nhất 10 ký tự.');
    const unknown = await admin.post('/admin/users', { _csrf: csrf, username: 'cb3', displayName: 'Cán bộ 3', role: 'officer', units: 'KHONG', password: 'mat-khau-can-bo-3' });
    expect(unknown.body).toContain('Không có đơn vị với mã KHONG.');
    expect(await product.db.prisma.user.count({ where: { username: { in: ['cb2', 'cb3'] } } })).toBe(0);
  });

  it('refuses the form without the session’s CSRF token, and to anyone but an admin', async () => {
    const admin = await new Browser().login('admin', 'mat-khau-admin-01');
    await admin.get('/admin/users');
    const noToken = await admin.post('/admin/users', { username: 'x', displayName: 'X', role: 'viewer', units: '', password: 'mat-khau-xxxxxx' });
    expect(noToken.statusCode).toBe(403);
    const officer = await new Browser().login('canbo.snv', 'mat-khau-can-bo-1');
    const csrf = Browser.csrf((await officer.get('/')).body);
    const refused = await officer.post('/admin/users', { _csrf: csrf, username: 'x', displayName: 'X', role: 'admin', units: '', password: 'mat-khau-xxxxxx' });
    expect(refused.statusCode).toBe(403);
    expect(await product.db.prisma.user.count({ where: { username: 'x' } })).toBe(0);
  });

  it('locks a user: their open session ends at once and they cannot log in again; an admin cannot lock themselves', async () => {
    const officer = await new Browser().login('canbo.snv', 'mat-khau-can-bo-1');
    expect((await officer.get('/')).statusCode).toBe(200);
    const admin = await new Browser().login('admin', 'mat-khau-admin-01');
    const page = await admin.get('/admin/users');
    expect(page.body).toContain('action="/admin/users/canbo.snv/disable"');
    expect(page.body).not.toContain('action="/admin/users/admin/disable"');
    const self = await admin.post('/admin/users/admin/disable', { _csrf: Browser.csrf(page.body) });
    expect(self.statusCode).toBe(409);
    const res = await admin.post('/admin/users/canbo.snv/disable', { _csrf: Browser.csrf(page.body) });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/admin/users?disabled=canbo.snv']);
    expect((await officer.get('/')).statusCode).toBe(303);
    const again = new Browser();
    const form = await again.get('/login');
    expect((await again.post('/login', { username: 'canbo.snv', password: 'mat-khau-can-bo-1', _csrf: Browser.csrf(form.body) })).statusCode).toBe(401);
    expect(await product.db.prisma.auditLog.count({ where: { action: 'user.disable' } })).toBe(1);
  });
});
