/**
 * The browser helpers can fail: axe-core really runs and reports serious violations, and
 * the phone-width check notices a page that scrolls sideways. Static pages, no product.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, SCREENSHOT_DIR, checkA11y, launchChromium, screenshots } from '../support/browser.js';

const doc = (body: string) => `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Thử</title></head><body><main><h1>Thử</h1>${body}</main></body></html>`;

describe('browser helpers', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  }, BROWSER_TEST_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
  });

  it('checkA11y passes a clean page and fails one with an unlabeled field and an image without alt', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await page.setContent(doc('<form><label for="u">Tên đăng nhập</label><input id="u" name="username"></form>'));
    await checkA11y(page);

    await page.setContent(doc('<form><input name="username"></form><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'));
    const failure = await checkA11y(page).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/critical image-alt/);
    expect(failure).toMatch(/label/);
  });

  it('screenshots writes both widths and fails a page that scrolls sideways on a phone', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await page.setContent(doc('<p>Vừa màn hình.</p>'));
    await screenshots(page, 'helper-self-test');
    for (const w of [360, 1366]) expect(existsSync(path.join(SCREENSHOT_DIR, `helper-self-test-${w}.png`))).toBe(true);

    await page.setContent(doc('<table><tr><td style="min-width:900px">Bảng quá rộng</td></tr></table>'));
    await expect(screenshots(page, 'helper-self-test-wide')).rejects.toThrow(/page width at 360 px/);
    expect(page.viewportSize()).toEqual({ width: 1366, height: 768 });
  });
});
