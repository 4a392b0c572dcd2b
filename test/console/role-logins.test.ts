/**
 * The console in headless Chromium: each role logs in through the form and lands on the
 * overview with its own navigation; the login page, the overview of each role and the
 * 403 page pass axe-core and fit a phone; the pages run under their own CSP without a
 * refused script. Screenshots go to test-artifacts/screenshots/.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, browserErrors, checkPage, consoleInBrowser, login, withPage } from '../support/browser.js';

const WRONG_LOGIN = 'Tên đăng nhập hoặc mật khẩu không đúng.';

/** The hrefs the main navigation offers. */
async function navLinks(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation');
  await expect.poll(() => nav.count(), { message: 'one main navigation' }).toBe(1);
  return nav.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
}

describe('console in Chromium (product started as npm start)', () => {
  const rig = consoleInBrowser();

  it('shows an accessible login page, and re-renders it with the Vietnamese message after a wrong password', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, null, async (page) => {
      const res = await page.goto('/');
      expect(res?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      await expect.poll(() => page.getByLabel('Tên đăng nhập').count()).toBe(1);
      await expect.poll(() => page.getByLabel('Mật khẩu').count()).toBe(1);
      await checkPage(page, 'login');

      await page.fill('input[name="username"]', CONSOLE_USERS.officer.username);
      await page.fill('input[name="password"]', 'khong-phai-mat-khau');
      const posted = page.waitForResponse((r) => new URL(r.url()).pathname === '/login' && r.request().method() === 'POST');
      await page.click('form:has(input[name="password"]) [type="submit"]');
      expect((await posted).status()).toBe(401);
      await page.waitForLoadState('load');
      expect((await page.locator('body').innerText()).normalize('NFC')).toContain(WRONG_LOGIN);
      // The username stays filled in; the password does not come back.
      expect(await page.inputValue('input[name="password"]')).toBe('');
      await checkPage(page, 'login-failed');
    });
  });

  for (const user of Object.values(CONSOLE_USERS)) {
    it(`logs in as ${user.role} and lands on / with the ${user.role}’s navigation, accessible at 360 and 1366 px; logs out`, { timeout: BROWSER_TEST_TIMEOUT }, async () => {
      await withPage(rig, user, async (page) => {
        expect(new URL(page.url()).pathname).toBe('/');
        expect(await page.getAttribute('html', 'lang')).toBe('vi');
        await expect.poll(() => page.getByText(user.displayName).count(), { message: 'the signed-in user’s name' }).toBeGreaterThan(0);

        const links = await navLinks(page);
        expect(links).toContain('/');
        const adminLinks = links.filter((href) => href.startsWith('/admin/'));
        if (user.role === 'admin') expect(adminLinks).toContain('/admin/users');
        else expect(adminLinks).toEqual([]);
        // Officers never see reports; viewers never see anything personal (invitations).
        if (user.role === 'officer') expect(links).not.toContain('/rankings');
        if (user.role === 'viewer') expect(links).not.toContain('/invitations');

        await checkPage(page, `overview-${user.role}`);

        await page.getByRole('button', { name: 'Đăng xuất' }).click();
        await page.waitForURL((url) => url.pathname === '/login');
        await page.goto('/');
        expect(new URL(page.url()).pathname).toBe('/login');
      });
    });
  }

  it('shows the administrator the users page, listing every user, accessible at 360 and 1366 px', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.admin, async (page) => {
      const res = await page.goto('/admin/users');
      expect(res?.status()).toBe(200);
      const text = (await page.locator('main').innerText()).normalize('NFC');
      for (const u of Object.values(CONSOLE_USERS)) {
        expect(text).toContain(u.username);
        expect(text).toContain(u.displayName);
      }
      // No password hash, not even its format, reaches the page.
      expect(await page.content()).not.toMatch(/scrypt\$\d+\$/);
      await checkPage(page, 'admin-users');
    });
  });

  it('shows an officer who types an admin page’s URL the 403 page, in Vietnamese and accessible', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.officer, async (page) => {
      const res = await page.goto('/admin/users');
      expect(res?.status()).toBe(403);
      expect(await page.getAttribute('html', 'lang')).toBe('vi');
      expect(await page.locator('body').innerText()).not.toContain(CONSOLE_USERS.admin.username);
      // The way back: the officer's own navigation is still there.
      expect(await navLinks(page)).toContain('/');
      await checkPage(page, 'forbidden-officer');
    });
  });

  it('runs the login page and the overview under their own CSP without a refused script or a script error', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, null, async (page) => {
      await page.goto('/login');
      await login(page, CONSOLE_USERS.admin.username, CONSOLE_USERS.admin.password);
      await page.waitForLoadState('networkidle');
      // htmx is served locally and ran (a refused or missing script would leave it undefined).
      expect(await page.evaluate('typeof window.htmx')).toBe('object');
      expect(browserErrors(page)).toEqual([]);
    }, { bypassCSP: false });
  });
});
