import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_ADMIN_PATH } from '../../src/console/first-admin.js';
import { verifyPassword } from '../../src/users/password-hash.js';
import { createUser, disableUser } from '../../src/users/user-store.js';
import { useProductClock } from '../support/product-clock.js';
import { startProduct, type Product } from '../support/start-product.js';

const clock = useProductClock();
const logLines: string[] = [];
let product: Product;
beforeAll(async () => {
  product = await startProduct({ CONSOLE_SESSION_IDLE_MINUTES: '30' }, { worker: false, now: clock.date, logLines });
});
afterAll(async () => product?.stop());

type Jar = Record<string, string>;
const cookieHeader = (jar: Jar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const form = (jar: Jar, url: string, body: Record<string, string>) =>
  product.app!.inject({ method: 'POST', url, headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
const get = (jar: Jar, url: string) => product.app!.inject({ method: 'GET', url, headers: { cookie: cookieHeader(jar) } });

async function signIn(username: string, password: string): Promise<Jar> {
  const page = await product.app!.inject({ method: 'GET', url: '/login' });
  const jar: Jar = Object.fromEntries(page.cookies.map((c) => [c.name, c.value]));
  const res = await form(jar, '/login', { username, password, _csrf: csrfIn(page.body) });
  expect(res.statusCode).toBe(303);
  for (const c of res.cookies) jar[c.name] = c.value;
  return jar;
}

/** The first-administrator link the start printed (the product had no user then). */
function firstAdminToken(): string {
  const line = logLines.find((l) => l.includes(FIRST_ADMIN_PATH));
  expect(line, 'the start logs the one-time link').toBeDefined();
  return /token=([A-Za-z0-9_-]+)/.exec(line!)![1]!;
}

describe('first administrator link', () => {
  it('is printed at the first start, expires after one hour and is then refused', async () => {
    const token = firstAdminToken();
    expect(logLines.find((l) => l.includes(FIRST_ADMIN_PATH))).toContain(`http://127.0.0.1${FIRST_ADMIN_PATH}?token=`);
    expect((await get({}, `${FIRST_ADMIN_PATH}?token=${token}`)).statusCode).toBe(200);
    expect((await get({}, `${FIRST_ADMIN_PATH}?token=wrong${token}`)).statusCode).toBe(410);
    clock.offsetMs = 60 * 60 * 1000 + 1000;
    const late = await get({}, `${FIRST_ADMIN_PATH}?token=${token}`);
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('Liên kết không còn hiệu lực');
  });

  it('creates the first administrator once (CSRF required), and is refused the second time', async () => {
    const token = firstAdminToken();
    const page = await get({}, `${FIRST_ADMIN_PATH}?token=${token}`);
    const jar: Jar = Object.fromEntries(page.cookies.map((c) => [c.name, c.value]));
    const body = { username: 'quantri', displayName: 'Quản trị viên Sở', password: 'mat-khau-quan-tri-1' };
    expect((await form(jar, `${FIRST_ADMIN_PATH}?token=${token}`, body)).statusCode).toBe(403);
    const short = await form(jar, `${FIRST_ADMIN_PATH}?token=${token}`, { ...body, password: 'ngan', _csrf: csrfIn(page.body) });
    expect(short.statusCode).toBe(400);
    const made = await form(jar, `${FIRST_ADMIN_PATH}?token=${token}`, { ...body, _csrf: csrfIn(page.body) });
    expect([made.statusCode, made.headers.location]).toEqual([303, '/login']);
    const admin = await product.db.prisma.user.findUniqueOrThrow({ where: { username: 'quantri' } });
    expect([admin.role, admin.displayName, await verifyPassword(body.password, admin.passwordHash)]).toEqual(['admin', 'Quản trị viên Sở', true]);
    const again = await form(jar, `${FIRST_ADMIN_PATH}?token=${token}`, { ...body, username: 'quantri2', _csrf: csrfIn(page.body) });
    expect(again.statusCode).toBe(410);
    expect(await product.db.prisma.user.count()).toBe(1);
    expect(await product.db.prisma.auditLog.count({ where: { action: 'console.first_admin' } })).toBe(1);
  });
});

describe('console sessions', () => {
  it('end after 30 minutes without a request (the product clock), and each request restarts the wait', async () => {
    const jar = await signIn('quantri', 'mat-khau-quan-tri-1');
    clock.offsetMs = 29 * 60_000;
    expect((await get(jar, '/')).statusCode).toBe(200);
    clock.offsetMs = 58 * 60_000;
    expect((await get(jar, '/')).statusCode).toBe(200);
    clock.offsetMs = 89 * 60_000;
    const expired = await get(jar, '/');
    expect([expired.statusCode, expired.headers.location]).toEqual([303, '/login']);
    // Gone for good: going back in time does not revive it.
    clock.offsetMs = 0;
    expect((await get(jar, '/')).statusCode).toBe(303);
  });

  it('stop at the next request once the user is disabled', async () => {
    await createUser(product.db.prisma, { username: 'xem', displayName: 'Người xem', role: 'viewer', unitCodes: [], password: 'mat-khau-nguoi-xem' });
    const jar = await signIn('xem', 'mat-khau-nguoi-xem');
    expect((await get(jar, '/')).statusCode).toBe(200);
    await disableUser(product.db.prisma, 'xem');
    expect((await get(jar, '/')).statusCode).toBe(303);
    const page = await product.app!.inject({ method: 'GET', url: '/login' });
    const retry = await form(Object.fromEntries(page.cookies.map((c) => [c.name, c.value])), '/login', { username: 'xem', password: 'mat-khau-nguoi-xem', _csrf: csrfIn(page.body) });
    expect(retry.statusCode).toBe(401);
  });

  it('sets Secure on the session cookie when PUBLIC_BASE_URL is https', async () => {
    const https = await startProduct({ PUBLIC_BASE_URL: 'https://khaosat.example.gov.vn' }, { worker: false });
    try {
      await createUser(https.db.prisma, { username: 'a', displayName: 'A', role: 'admin', unitCodes: [], password: 'mat-khau-admin-aa' });
      const page = await https.app!.inject({ method: 'GET', url: '/login' });
      expect(page.cookies.find((c) => c.name === 'sipas_csrf')?.secure).toBe(true);
      const res = await https.app!.inject({
        method: 'POST', url: '/login', headers: { cookie: page.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ username: 'a', password: 'mat-khau-admin-aa', _csrf: csrfIn(page.body) }).toString(),
      });
      expect(res.statusCode).toBe(303);
      expect(res.cookies.find((c) => c.name === 'sipas_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await https.stop();
    }
  });
});
