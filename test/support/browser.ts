/**
 * Browser tests of the web console: the product started as `npm start` starts it (one
 * process, web and workers, its own database, Redis prefix and fake Telegram), driven by
 * Debian's headless Chromium through playwright-core. Also: logging in through the form,
 * the accessibility check (axe-core in the page) and screenshots at a phone's and a
 * laptop's width into the gitignored test-artifacts/screenshots/ for a reviewer.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { createUser } from '../../src/users/user-store.js';
import type { UserRole } from '../../src/users/user-schema.js';
import { FakeTelegramServer } from './fake-telegram-server.js';
import { ROOT, freePort, spawnMain, waitHttpReady, type ScriptProcess } from './spawn-script.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { createTestRedis, type TestRedis } from './test-redis.js';
import { SNV, XTP, type UnitRow } from './units.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
/** As the issue asks: no sandbox (containers, root), nothing fetched from outside. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
export const SCREENSHOT_DIR = path.join(ROOT, 'test-artifacts', 'screenshots');
/** A whole product process plus Chromium on a loaded 2-core machine: give browser tests this much. */
export const BROWSER_TEST_TIMEOUT = 240_000;

export const CONSOLE_ADMIN_KEY = 'console-test-admin-key-0123456789';
const TG_TOKEN = '123456:CONSOLE-test_token';
/** Exported for tests that post Telegram updates to the product's `/webhooks/telegram`. */
export const TG_SECRET = 'console_test_webhook_secret';

export type ConsoleUser = { username: string; displayName: string; role: UserRole; unitCodes?: string[]; password: string };

export type ConsoleProduct = {
  /** Where the process listens, e.g. http://127.0.0.1:40123 (no trailing slash). */
  baseUrl: string;
  db: TestDatabase;
  redis: TestRedis;
  telegram: FakeTelegramServer;
  proc: ScriptProcess;
  /** A request to the product's JSON API as the bootstrap administrator (bearer key). */
  api(method: string, urlPath: string, body?: unknown): Promise<Response>;
  /** Loads units through `PUT /api/v1/units`; fails unless they were taken. */
  putUnits(units: UnitRow[]): Promise<void>;
  /** A console user, straight through the users store (as `npm run user -- create` does). */
  createUser(user: ConsoleUser): Promise<void>;
  stop(): Promise<void>;
};

/**
 * `src/main.ts` as its own process with the configuration a deployment would give it
 * (bootstrap admin key, Telegram pointed at a local fake, PUBLIC_BASE_URL = where it
 * listens unless `env` says otherwise), on a fresh database and Redis prefix.
 */
export async function startConsoleProduct(opts: { env?: Record<string, string>; units?: UnitRow[] } = {}): Promise<ConsoleProduct> {
  const db = await createTestDatabase();
  const redis = await createTestRedis();
  const telegram = await new FakeTelegramServer().start();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const proc = spawnMain({
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    ADMIN_API_KEY: CONSOLE_ADMIN_KEY,
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_BOT_USERNAME: 'sipas_console_bot',
    TELEGRAM_API_ROOT: telegram.url,
    PUBLIC_BASE_URL: baseUrl,
    // Tests run at any hour.
    QUIET_HOURS: 'off',
    ...opts.env,
  });
  const stop = async () => {
    await proc.stop();
    await telegram.close();
    await redis.close();
    await db.drop();
  };
  try {
    await waitHttpReady(proc, `${baseUrl}/readyz`, 120_000);
  } catch (err) {
    await stop();
    throw err;
  }
  const api = (method: string, urlPath: string, body?: unknown) =>
    fetch(`${baseUrl}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${CONSOLE_ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const product: ConsoleProduct = {
    baseUrl,
    db,
    redis,
    telegram,
    proc,
    api,
    async putUnits(units) {
      const res = await api('PUT', '/api/v1/units', units);
      expect(res.status, await res.text()).toBe(200);
    },
    async createUser(user) {
      await createUser(db.prisma, { ...user, unitCodes: user.unitCodes ?? [] }, 'test');
    },
    stop,
  };
  if (opts.units?.length) await product.putUnits(opts.units);
  return product;
}

/** One user of each role; the officer acts for SNV only. Passwords meet the console's minimum. */
export const CONSOLE_USERS = {
  admin: { username: 'quantri', displayName: 'Nguyễn Văn Quản', role: 'admin', password: 'mat-khau-quan-tri-1' },
  officer: { username: 'canbo.snv', displayName: 'Trần Thị Cán', role: 'officer', unitCodes: ['SNV'], password: 'mat-khau-can-bo-1' },
  viewer: { username: 'nguoixem', displayName: 'Lê Văn Xem', role: 'viewer', password: 'mat-khau-nguoi-xem-1' },
} as const satisfies Record<UserRole, ConsoleUser>;

/** The units most console tests use (SNV, XTP) and the three users of `CONSOLE_USERS`. */
export async function seedConsoleUsers(product: ConsoleProduct): Promise<void> {
  await product.putUnits([SNV, XTP]);
  for (const u of Object.values(CONSOLE_USERS)) await product.createUser({ ...u, unitCodes: 'unitCodes' in u ? [...u.unitCodes] : [] });
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: apt-get install --no-install-recommends chromium (.ci/run does it)`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

const errorsOf = new WeakMap<Page, string[]>();

/**
 * A page in a context of its own (own cookies), at 1366 × 768, in Vietnamese. `bypassCSP`
 * (default true) lets `checkA11y` inject axe-core into pages whose CSP forbids inline
 * scripts; pass false to see the pages exactly as a browser enforces their CSP.
 */
export async function newConsolePage(browser: Browser, baseUrl: string, opts: { bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: baseUrl, locale: 'vi-VN', viewport: { width: 1366, height: 768 }, bypassCSP: opts.bypassCSP ?? true });
  const page = await context.newPage();
  const errors: string[] = [];
  errorsOf.set(page, errors);
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return page;
}

/** Console errors and uncaught exceptions the page had so far (CSP refusals show up here). */
export function browserErrors(page: Page): string[] {
  return errorsOf.get(page) ?? [];
}

/**
 * Logs in through the form at /login and waits for the page it leads to; fails when the
 * form answers anything but a redirect away from /login.
 */
export async function login(page: Page, username: string, password: string, next?: string): Promise<void> {
  await page.goto(next ? `/login?next=${encodeURIComponent(next)}` : '/login');
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST');
  await page.click('form:has(input[name="password"]) [type="submit"]');
  const res = await posted;
  await page.waitForLoadState('load');
  expect(res.status(), `POST /login as ${username}`).toBe(303);
  expect(new URL(page.url()).pathname, `after logging in as ${username}`).not.toBe('/login');
}

/** The product and Chromium one describe block shares; see `consoleInBrowser`. */
export type ConsoleRig = { product: ConsoleProduct; browser: Browser };

/**
 * Registers, for the enclosing describe block, the `beforeAll` that starts the product
 * (`startConsoleProduct({ env, units })`) and Chromium side by side, seeds `seedConsoleUsers`
 * and then runs `prepare` (the block's own data), and the `afterAll` that closes both. The
 * returned object's `product` and `browser` are filled in once that `beforeAll` has run:
 * read them inside hooks and tests, not when the block is collected.
 */
export function consoleInBrowser(opts: { env?: Record<string, string>; units?: UnitRow[]; prepare?: (product: ConsoleProduct) => Promise<void> } = {}): ConsoleRig {
  const { prepare, ...start } = opts;
  const rig: Partial<ConsoleRig> = {};
  beforeAll(async () => {
    // Each is kept as soon as it is up, and both are awaited, so that `afterAll` closes
    // whichever started even when the other failed.
    const started = await Promise.allSettled([
      startConsoleProduct(start).then((product) => {
        rig.product = product;
      }),
      launchChromium().then((browser) => {
        rig.browser = browser;
      }),
    ]);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    await seedConsoleUsers(rig.product!);
    await prepare?.(rig.product!);
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await rig.browser?.close();
    await rig.product?.stop();
  });
  return rig as ConsoleRig;
}

/**
 * A fresh page of `newConsolePage(rig.browser, rig.product.baseUrl, { bypassCSP })`, logged in
 * through the form as `user` (to `next` if given; `null`: not logged in), handed to `use`;
 * the page's context is closed afterwards whether `use` passed or threw.
 */
export async function withPage<T>(
  rig: ConsoleRig,
  user: Pick<ConsoleUser, 'username' | 'password'> | null,
  use: (page: Page) => Promise<T>,
  opts: { bypassCSP?: boolean; next?: string } = {},
): Promise<T> {
  const page = await newConsolePage(rig.browser, rig.product.baseUrl, { bypassCSP: opts.bypassCSP });
  try {
    if (user) await login(page, user.username, user.password, opts.next);
    return await use(page);
  } finally {
    await page.context().close();
  }
}

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] };

/** Runs axe-core in the page and fails on any serious or critical violation, naming each. */
export async function checkA11y(page: Page): Promise<void> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) {
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  }
  const { violations } = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as { violations: AxeViolation[] };
  const grave = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  // Named one per line: vitest would shorten a failed toEqual on a long list to "[ …(2) ]".
  if (grave.length) throw new Error(`axe on ${new URL(page.url()).pathname}: ${grave.length} serious or critical violation(s)\n${grave.join('\n')}`);
}

/**
 * Full-page screenshots at 360 px (a phone) and 1366 px (a laptop) into
 * test-artifacts/screenshots/<name>-360.png and <name>-1366.png; fails when the page
 * scrolls sideways on the phone (wide tables belong in their own scrolling box).
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? { width: 1366, height: 768 };
  try {
    for (const [width, height] of [[360, 740], [1366, 768]] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}.png`), fullPage: true });
      const scrollWidth = (await page.evaluate('document.documentElement.scrollWidth')) as number;
      expect(scrollWidth, `${name}: page width at ${width} px`).toBeLessThanOrEqual(width);
    }
  } finally {
    await page.setViewportSize(before);
  }
}

/** What every console page must pass: axe-core at 360 px and at 1366 px, then `screenshots`. */
export async function checkPage(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? { width: 1366, height: 768 };
  try {
    await page.setViewportSize({ width: 360, height: 740 });
    await checkA11y(page);
  } finally {
    await page.setViewportSize(before);
  }
  await checkA11y(page);
  await screenshots(page, name);
}
