import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../src/users/user-store.js';
import { startProduct, type Product } from '../support/start-product.js';
import { putUnits, SNV } from '../support/units.js';

let product: Product;
beforeAll(async () => {
  product = await startProduct({}, { worker: false });
  await putUnits(product.app!, [SNV]);
  await createUser(product.db.prisma, { username: 'admin1', displayName: 'Quản trị Một', role: 'admin', unitCodes: [], password: 'mat-khau-admin-1' });
  await createUser(product.db.prisma, { username: 'canbo', displayName: 'Cán bộ Sở', role: 'officer', unitCodes: ['SNV'], password: 'mat-khau-can-bo' });
});
afterAll(async () => product?.stop());

type Jar = Record<string, string>;
function cookiesOf(res: { cookies: { name: string; value: string }[] }, jar: Jar = {}): Jar {
  for (const c of res.cookies) jar[c.name] = c.value;
  return jar;
}
const cookieHeader = (jar: Jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function loginForm() {
  const res = await product.app!.inject({ method: 'GET', url: '/login' });
  return { jar: cookiesOf(res), csrf: csrfIn(res.body), res };
}

async function postLogin(jar: Jar, body: Record<string, string>, url = '/login') {
  return product.app!.inject({ method: 'POST', url, headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
}

async function signIn(username: string, password: string): Promise<Jar> {
  const { jar, csrf } = await loginForm();
  const res = await postLogin(jar, { username, password, _csrf: csrf });
  expect(res.statusCode).toBe(303);
  return cookiesOf(res, jar);
}

describe('console login', () => {
  it('serves a Vietnamese login form with username, password and a CSRF token, under a strict CSP', async () => {
    const { res, csrf } = await loginForm();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="vi">');
    expect(res.body).toContain('name="username"');
    expect(res.body).toContain('name="password"');
    expect(csrf.length).toBeGreaterThan(20);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('logs in with the right password (303 to /, HttpOnly SameSite cookie) and audits it', async () => {
    const { jar, csrf } = await loginForm();
    const res = await postLogin(jar, { username: 'admin1', password: 'mat-khau-admin-1', _csrf: csrf });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = res.cookies.find((c) => c.name === 'sipas_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy();
    const home = await product.app!.inject({ method: 'GET', url: '/', headers: { cookie: cookieHeader(cookiesOf(res, jar)) } });
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Quản trị Một');
    const audit = await product.db.prisma.auditLog.findMany({ where: { action: 'console.login' }, select: { actor: true, details: true } });
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain('mat-khau');
  });

  it('re-renders the form with 401 and the Vietnamese message for a wrong password, audited without the typed text', async () => {
    const { jar, csrf } = await loginForm();
    const res = await postLogin(jar, { username: 'admin1', password: 'sai-mat-khau-123', _csrf: csrf });
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    const failed = await product.db.prisma.auditLog.findMany({ where: { action: 'console.login_failed' }, select: { actor: true, details: true } });
    expect(failed.length).toBeGreaterThan(0);
    expect(JSON.stringify(failed)).not.toContain('sai-mat-khau');
  });

  it('refuses a login post without or with a wrong CSRF token', async () => {
    const { jar, csrf } = await loginForm();
    expect((await postLogin(jar, { username: 'admin1', password: 'mat-khau-admin-1' })).statusCode).toBe(403);
    expect((await postLogin(jar, { username: 'admin1', password: 'mat-khau-admin-1', _csrf: `${csrf.slice(0, -1)}x` })).statusCode).toBe(403);
    // The token of another browser does not fit this one's cookie.
    expect((await postLogin({}, { username: 'admin1', password: 'mat-khau-admin-1', _csrf: csrf })).statusCode).toBe(403);
  });

  it('refuses a signed-in form post (logout) without or with a wrong CSRF token, and logs out with the right one', async () => {
    const jar = await signIn('admin1', 'mat-khau-admin-1');
    const home = await product.app!.inject({ method: 'GET', url: '/', headers: { cookie: cookieHeader(jar) } });
    const csrf = csrfIn(home.body);
    expect((await postLogin(jar, {}, '/logout')).statusCode).toBe(403);
    expect((await postLogin(jar, { _csrf: 'not-the-token' }, '/logout')).statusCode).toBe(403);
    expect((await product.app!.inject({ method: 'GET', url: '/', headers: { cookie: cookieHeader(jar) } })).statusCode).toBe(200);
    const out = await postLogin(jar, { _csrf: csrf }, '/logout');
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login');
    const after = await product.app!.inject({ method: 'GET', url: '/', headers: { cookie: cookieHeader(jar) } });
    expect([after.statusCode, after.headers.location]).toEqual([303, '/login']);
    expect(await product.db.prisma.auditLog.count({ where: { action: 'console.logout' } })).toBe(1);
  });

  it('sends a stranger to the login page, keeping where they wanted to go, and back there after login', async () => {
    const res = await product.app!.inject({ method: 'GET', url: '/admin/users' });
    expect([res.statusCode, res.headers.location]).toEqual([303, '/login?next=%2Fadmin%2Fusers']);
    const { jar, csrf } = await loginForm();
    const login = await postLogin(jar, { username: 'admin1', password: 'mat-khau-admin-1', _csrf: csrf }, '/login?next=%2Fadmin%2Fusers');
    expect(login.headers.location).toBe('/admin/users');
    const evil = await postLogin(jar, { username: 'admin1', password: 'mat-khau-admin-1', _csrf: csrf }, '/login?next=%2F%2Fevil.example');
    expect(evil.headers.location).toBe('/');
  });

  it('shows an officer the 403 page for an admin-only page, and an admin the user list', async () => {
    const officer = await signIn('canbo', 'mat-khau-can-bo');
    const refused = await product.app!.inject({ method: 'GET', url: '/admin/users', headers: { cookie: cookieHeader(officer) } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Không có quyền truy cập');
    expect(refused.body).not.toContain('href="/admin/users"');
    const admin = await signIn('admin1', 'mat-khau-admin-1');
    const list = await product.app!.inject({ method: 'GET', url: '/admin/users', headers: { cookie: cookieHeader(admin) } });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('canbo');
    expect(list.body).toContain('Cán bộ Sở');
    expect(list.body).not.toContain('scrypt$');
  });

  it('slows a guesser: after five wrong passwords the sixth try is refused with 429, even with the right password', async () => {
    await createUser(product.db.prisma, { username: 'target', displayName: 'Mục tiêu', role: 'viewer', unitCodes: [], password: 'dung-mat-khau-1' });
    const { jar, csrf } = await loginForm();
    for (let i = 0; i < 5; i++) expect((await postLogin(jar, { username: 'target', password: `sai-${i}-xxxxxx`, _csrf: csrf })).statusCode).toBe(401);
    const sixth = await postLogin(jar, { username: 'target', password: 'dung-mat-khau-1', _csrf: csrf });
    expect(sixth.statusCode).toBe(429);
    expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(0);
    expect(sixth.body).toContain('Đăng nhập sai quá nhiều lần');
  });

  it('serves htmx, ECharts and the stylesheet from /assets/, and nothing else from node_modules', async () => {
    for (const f of ['htmx.min.js', 'echarts.min.js', 'console.css']) expect((await product.app!.inject({ method: 'GET', url: `/assets/${f}` })).statusCode).toBe(200);
    expect((await product.app!.inject({ method: 'GET', url: '/assets/package.json' })).statusCode).toBe(404);
    expect((await product.app!.inject({ method: 'GET', url: '/assets/../package.json' })).statusCode).toBe(404);
  });
});
