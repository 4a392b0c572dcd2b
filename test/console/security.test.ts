/**
 * The console's defences as the server answers them (no browser needed): CSRF tokens on
 * every form, the session cookie's flags, a CSP that forbids inline scripts, logout that
 * really ends the session, and admin pages refused to the other roles by URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, seedConsoleUsers, startConsoleProduct, type ConsoleProduct } from '../support/browser.js';
import { ConsoleHttpClient, redirectPath, type SetCookie } from '../support/console-http.js';

const SESSION = 'sipas_session';
const { admin, officer, viewer } = CONSOLE_USERS;

/** The sources a CSP allows for scripts: script-src, else default-src. */
function scriptSources(csp: string): string[] | undefined {
  const directives = new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...values]) => [name!.toLowerCase(), values] as const),
  );
  return directives.get('script-src') ?? directives.get('default-src');
}

/** Inline scripts and inline event handlers: what a strict CSP would silently block. */
function inlineScriptsIn(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
    if (/^<script\b/i.test(tag) && !/\ssrc\s*=/i.test(tag)) found.push(tag);
    if (/\son[a-z]+\s*=/i.test(tag)) found.push(tag);
  }
  return found;
}

async function isSignedIn(c: ConsoleHttpClient): Promise<boolean> {
  const res = await c.get('/');
  if (res.status === 200) return true;
  expect([302, 303], 'GET / without a valid session').toContain(res.status);
  expect(redirectPath(res)).toMatch(/^\/login/);
  return false;
}

describe('console security over HTTP (product started as npm start)', () => {
  let product: ConsoleProduct;
  let adminClient: ConsoleHttpClient;
  let adminLoginCookies: SetCookie[] = [];
  let preLoginSession: string | undefined;

  beforeAll(async () => {
    product = await startConsoleProduct();
    await seedConsoleUsers(product);
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await product?.stop();
  });

  it('sends a visitor without a session from / to /login', async () => {
    const c = new ConsoleHttpClient(product.baseUrl);
    expect(await isSignedIn(c)).toBe(false);
  });

  it('refuses a login form posted without its CSRF token or with another visitor’s token, and accepts it with its own', async () => {
    const c = new ConsoleHttpClient(product.baseUrl);
    const own = await c.csrfFrom('/login');
    preLoginSession = c.cookies.get(SESSION);

    const withoutToken = await c.request('POST', '/login', { username: admin.username, password: admin.password });
    expect(withoutToken.status).toBe(403);
    expect(await isSignedIn(c)).toBe(false);

    const foreign = await new ConsoleHttpClient(product.baseUrl).csrfFrom('/login');
    expect(foreign).not.toBe(own);
    const withForeignToken = await c.request('POST', '/login', { username: admin.username, password: admin.password, _csrf: foreign });
    expect(withForeignToken.status).toBe(403);
    expect(await isSignedIn(c)).toBe(false);

    const ok = await c.login(admin.username, admin.password);
    expect(ok.status).toBe(303);
    expect(redirectPath(ok)).toBe('/');
    adminLoginCookies = c.lastSetCookies;
    expect(await isSignedIn(c)).toBe(true);
    adminClient = c;
  });

  it('follows ?next= after login only to a page of the console, never to another site', async () => {
    for (const [next, expected] of [
      ['/admin/users', '/admin/users'],
      ['https://evil.example/login', '/'],
      ['//evil.example/', '/'],
      ['/\\evil.example/', '/'],
    ] as const) {
      const c = new ConsoleHttpClient(product.baseUrl);
      const _csrf = await c.csrfFrom(`/login?next=${encodeURIComponent(next)}`);
      const res = await c.request('POST', `/login?next=${encodeURIComponent(next)}`, { username: viewer.username, password: viewer.password, _csrf });
      expect(res.status, next).toBe(303);
      expect(redirectPath(res), next).toBe(expected);
      expect(new URL(res.headers.get('location')!, product.baseUrl).origin, next).toBe(product.baseUrl);
    }
  });

  it('sets the session cookie HttpOnly and SameSite, without Secure over http, and issues a new session id at login', () => {
    const cookie = adminLoginCookies.find((c) => c.name === SESSION);
    expect(cookie, `Set-Cookie ${SESSION} at login`).toBeDefined();
    const attrs = cookie!.attributes.map((a) => a.toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs.find((a) => a.startsWith('samesite='))).toMatch(/^samesite=(lax|strict)$/);
    expect(attrs).toContain('path=/');
    // PUBLIC_BASE_URL is http here: a Secure cookie would never come back over plain http.
    expect(attrs).not.toContain('secure');
    // A session id known before login (e.g. planted by an attacker) must not become the signed-in one.
    if (preLoginSession) expect(cookie!.value).not.toBe(preLoginSession);
  });

  it('sends a Content-Security-Policy without unsafe-inline for scripts, and pages have no inline scripts', async () => {
    const anonymous = new ConsoleHttpClient(product.baseUrl);
    for (const [c, urlPath] of [[anonymous, '/login'], [adminClient, '/'], [adminClient, '/admin/users']] as const) {
      const res = await c.get(urlPath);
      expect(res.status, urlPath).toBe(200);
      const csp = res.headers.get('content-security-policy');
      expect(csp, `CSP header of ${urlPath}`).toBeTruthy();
      const sources = scriptSources(csp!);
      expect(sources, `script-src or default-src in ${csp}`).toBeDefined();
      expect(sources).not.toContain("'unsafe-inline'");
      expect(sources).not.toContain('*');
      expect(inlineScriptsIn(await res.text()), `inline scripts in ${urlPath}`).toEqual([]);
    }
  });

  it('shows the admin page to the administrator and refuses it, by URL, to an officer and a viewer with the 403 page', async () => {
    const asAdmin = await adminClient.get('/admin/users');
    expect(asAdmin.status).toBe(200);
    const list = await asAdmin.text();
    for (const u of [admin, officer, viewer]) expect(list).toContain(u.username);

    for (const u of [officer, viewer]) {
      const c = new ConsoleHttpClient(product.baseUrl);
      await c.loginOk(u.username, u.password);
      const res = await c.get('/admin/users');
      expect(res.status, `${u.role} GET /admin/users`).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const page = await res.text();
      expect(page).toContain('lang="vi"');
      // The refusal shows none of the page it refuses.
      expect(page).not.toContain(admin.username);
      // …while the user stays signed in for the pages the role may see.
      expect(await isSignedIn(c)).toBe(true);
    }

    const anonymous = await new ConsoleHttpClient(product.baseUrl).get('/admin/users');
    expect([302, 303]).toContain(anonymous.status);
    const to = new URL(redirectPath(anonymous) ?? '', 'http://x');
    expect(to.pathname).toBe('/login');
    expect(to.searchParams.get('next')).toBe('/admin/users');
  });

  it('logs out only with the CSRF token, and the old session cookie opens nothing afterwards', async () => {
    const c = adminClient;
    const session = c.cookies.get(SESSION)!;
    const refused = await c.request('POST', '/logout', {});
    expect(refused.status).toBe(403);
    expect(await isSignedIn(c)).toBe(true);

    const _csrf = await c.csrfFrom('/');
    const out = await c.request('POST', '/logout', { _csrf });
    expect(out.status).toBe(303);
    expect(redirectPath(out)).toBe('/login');
    expect(await isSignedIn(c)).toBe(false);

    const replay = new ConsoleHttpClient(product.baseUrl);
    replay.cookies.set(SESSION, session);
    expect(await isSignedIn(replay)).toBe(false);
  });
});

describe('console session cookie behind https (PUBLIC_BASE_URL https://…)', () => {
  let product: ConsoleProduct;

  beforeAll(async () => {
    product = await startConsoleProduct({ env: { PUBLIC_BASE_URL: 'https://khaosat.sonoivu.example.gov.vn' } });
    await seedConsoleUsers(product);
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await product?.stop();
  });

  it('marks the session cookie Secure as well as HttpOnly and SameSite', async () => {
    const c = new ConsoleHttpClient(product.baseUrl);
    await c.loginOk(admin.username, admin.password);
    const cookie = c.lastSetCookies.find((s) => s.name === SESSION);
    expect(cookie, `Set-Cookie ${SESSION} at login`).toBeDefined();
    const attrs = cookie!.attributes.map((a) => a.toLowerCase());
    expect(attrs).toContain('secure');
    expect(attrs).toContain('httponly');
    expect(attrs.find((a) => a.startsWith('samesite='))).toMatch(/^samesite=(lax|strict)$/);
  });
});
