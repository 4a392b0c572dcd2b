/**
 * The administration pages in Chromium (product started as `npm start`): an administrator
 * opens units, unit groups, API keys, the audit log and the queues, edits through their
 * plain forms, and each page passes axe-core and fits a phone (screenshots admin-*.png);
 * the pages run under their own CSP without a refusal. An officer typing any of their
 * URLs gets the 403 page.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, browserErrors, checkPage, consoleInBrowser, withPage } from '../support/browser.js';

const ADMIN_PATHS = ['/admin/units', '/admin/units/SNV', '/admin/unit-groups', '/admin/unit-groups/department', '/admin/api-keys', '/admin/audit', '/admin/queues'];

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).normalize('NFC');
}

/** Submits the form holding `button` and waits for the page it leads to; returns the POST's status. */
async function submit(page: Page, button: string): Promise<number> {
  const posted = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.click(button);
  const status = (await posted).status();
  await page.waitForLoadState('load');
  return status;
}

describe('administration pages in Chromium', () => {
  const rig = consoleInBrowser();

  it('an admin uses units and unit groups through their forms; each page is accessible at 360 and 1366 px', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.admin, async (page) => {
      await page.goto('/admin/units');
      expect(await mainText(page)).toContain('Sở Nội vụ');
      await checkPage(page, 'admin-units');

      // A CSV with a bad row: the refusal names the row in Vietnamese.
      await page.fill('#units-csv', 'code,name,group\nSTP,Sở Tư pháp,department\nSTC,,department\n');
      expect(await submit(page, 'form[action="/admin/unit-upload"] button[type="submit"]')).toBe(400);
      expect(await mainText(page)).toContain('Dòng 2: Tên đơn vị không được để trống');
      await checkPage(page, 'admin-units-upload-refused');
      // The same through the file input.
      await page.setInputFiles('#units-file', { name: 'don-vi.csv', mimeType: 'text/csv', buffer: Buffer.from('code,name,group\nSTP,Sở Tư pháp,department\n') });
      await page.fill('#units-csv', '');
      expect(await submit(page, 'form[action="/admin/unit-upload"] button[type="submit"]')).toBe(303);
      expect(await mainText(page)).toContain('Đã tải lên 1 đơn vị (1 đơn vị mới, 0 đơn vị cập nhật).');

      await page.goto('/admin/units/STP');
      await checkPage(page, 'admin-unit-edit');
      await page.selectOption('#unit-active', '0');
      expect(await submit(page, 'main form button[type="submit"]')).toBe(303);
      expect(await mainText(page)).toContain('Đã lưu đơn vị STP.');
      expect((await rig.product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'STP' } })).active).toBe(false);

      await page.goto('/admin/unit-groups');
      await checkPage(page, 'admin-unit-groups');
      await page.goto('/admin/unit-groups/department');
      await page.fill('#group-label', 'Sở, ban, ngành');
      await page.check('#group-rank');
      await checkPage(page, 'admin-unit-group-edit');
      expect(await submit(page, 'main form button[type="submit"]')).toBe(303);
      expect(await mainText(page)).toContain('Đã lưu nhóm đơn vị department.');
      expect(await rig.product.db.prisma.unitGroup.findUniqueOrThrow({ where: { code: 'department' } })).toMatchObject({ label: 'Sở, ban, ngành', rankSeparately: true });
    });
  });

  it('an admin creates an API key (shown once) and revokes it, then reads the audit log and the queues', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.admin, async (page) => {
      await page.goto('/admin/api-keys');
      await checkPage(page, 'admin-api-keys');
      await page.fill('#key-name', 'Một cửa tỉnh');
      await page.selectOption('#key-role', 'viewer');
      expect(await submit(page, 'main form[action="/admin/api-keys"] button[type="submit"]')).toBe(200);
      const key = await page.inputValue('#new-key');
      expect(key).toMatch(/^sk_[0-9a-f]{12}_/);
      await checkPage(page, 'admin-api-key-created');
      const api = await fetch(`${rig.product.baseUrl}/api/v1/units`, { headers: { authorization: `Bearer ${key}` } });
      expect(api.status).toBe(200);

      await page.goto('/admin/api-keys');
      expect(await page.content()).not.toContain(key);
      expect(await submit(page, 'button[aria-label="Thu hồi khóa Một cửa tỉnh"]')).toBe(303);
      expect(await mainText(page)).toContain('Đã thu hồi khóa Một cửa tỉnh.');
      expect((await fetch(`${rig.product.baseUrl}/api/v1/units`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);

      await page.goto('/admin/audit');
      expect(await mainText(page)).toContain('Thu hồi khóa API');
      await checkPage(page, 'admin-audit');
      await page.fill('#f-action', 'apikey.create');
      await page.fill('#f-from', '01/01/2026');
      await page.click('form[action="/admin/audit"] button[type="submit"]');
      await page.waitForLoadState('load');
      const filtered = (await page.locator('table.audit tbody').innerText()).normalize('NFC');
      expect(filtered).toContain('Tạo khóa API');
      expect(filtered).not.toContain('Thu hồi khóa API');
      await checkPage(page, 'admin-audit-filtered');

      await page.goto('/admin/queues');
      expect(await mainText(page)).toContain('Lưu câu trả lời');
      await checkPage(page, 'admin-queues');
    });
  });

  it('the administration pages run under their own CSP without a refused script or style', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.admin, async (page) => {
      for (const path of ADMIN_PATHS) {
        expect([path, (await page.goto(path))?.status()]).toEqual([path, 200]);
        expect(await page.locator('h1').count()).toBe(1);
      }
      expect(browserErrors(page)).toEqual([]);
    }, { bypassCSP: false });
  });

  it('an officer who types any administration URL gets the 403 page', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.officer, async (page) => {
      for (const path of ADMIN_PATHS) {
        const res = await page.goto(path);
        expect([path, res?.status()]).toEqual([path, 403]);
        expect(await page.locator('h1').innerText()).toBe('Không có quyền truy cập');
        expect(await page.locator(`nav a[href="${path}"]`).count()).toBe(0);
      }
      await checkPage(page, 'admin-forbidden-officer');
    });
  });
});
