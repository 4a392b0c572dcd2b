/**
 * The round pages in Chromium against the product started as `npm start`: an administrator
 * creates a round with quotas through the form, citizens invited through the API answer
 * the survey over the Telegram webhook, and the round's page shows the completed counts
 * rise; the list, the round and the counter poster pass axe at 360 and 1366 px.
 * Screenshots: rounds-list-*, round-detail-*, counter-qr-*.png.
 */
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, TG_SECRET, checkPage, consoleInBrowser, login, withPage } from '../support/browser.js';
import { driveSurvey } from '../support/telegram-survey-driver.js';
import { waitUntil } from '../support/wait-until.js';

const ROUND = { code: 'DOT-2026-12', name: 'Đợt khảo sát tháng 12/2026' };
const CITIZENS = [
  { unitCode: 'SNV', dossierCode: 'HS-SNV-100001', chatId: 6660001001 },
  { unitCode: 'SNV', dossierCode: 'HS-SNV-100002', chatId: 6660001002 },
];

/** The product's webhook over HTTP, shaped as the survey driver's `app.inject` (it posts updates, reads status and JSON). */
function webhookOver(baseUrl: string): FastifyInstance {
  const inject = async (opts: { method: string; url: string; headers: Record<string, string>; payload: string }) => {
    const res = await fetch(`${baseUrl}${opts.url}`, { method: opts.method, headers: { ...opts.headers, 'x-telegram-bot-api-secret-token': TG_SECRET }, body: opts.payload });
    const text = await res.text();
    return { statusCode: res.status, json: () => (text ? JSON.parse(text) : {}) };
  };
  return { inject } as unknown as FastifyInstance;
}

/** Today in Vietnam's calendar, `offset` days on, as a Vietnamese user types it. */
function viDay(offset: number): string {
  const [y, m, d] = new Date(Date.now() + 7 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
}

/** The "Hoàn thành" cell of a unit's row in the progress table. */
async function completedOf(page: Page, unitCode: string): Promise<string> {
  const table = page.locator('table.progress-table');
  const headers = (await table.locator('thead th').allInnerTexts()).map((h) => h.normalize('NFC').trim());
  const col = headers.indexOf('Hoàn thành');
  expect(col, 'a "Hoàn thành" column').toBeGreaterThan(0);
  const row = table.locator('tbody tr', { has: page.locator(`th:has-text("(${unitCode})")`) });
  return (await row.locator('th, td').nth(col).innerText()).trim();
}

describe('round pages in Chromium (product started as npm start)', () => {
  const rig = consoleInBrowser();

  it('lets an administrator create a round with quotas through the form, then shows progress move as surveys complete through the webhook', { timeout: BROWSER_TEST_TIMEOUT * 2 }, async () => {
    await withPage(rig, null, async (page) => {
      // Errors in the page (CSP refusals, failed scripts), except Chromium's own favicon request: the console has none.
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(`${m.text()} (${m.location().url})`);
      });
      page.on('pageerror', (err) => errors.push(err.message));
      await login(page, CONSOLE_USERS.admin.username, CONSOLE_USERS.admin.password, '/rounds');
      expect(new URL(page.url()).pathname).toBe('/rounds');
      await page.getByLabel('Mã đợt').fill(ROUND.code);
      await page.getByLabel('Tên đợt').fill(ROUND.name);
      // Today is already in "Ngày mở"; the closing day typed as Vietnamese users write it.
      expect(await page.getByLabel('Ngày mở (dd/mm/yyyy)').inputValue()).toBe(viDay(0));
      await page.getByLabel('Ngày đóng (dd/mm/yyyy)').fill(viDay(30));
      await page.getByLabel('Chỉ tiêu: mỗi dòng').fill('SNV 5\nXTP 3');
      await Promise.all([page.waitForURL(`**/rounds/${ROUND.code}?done=created`), page.getByRole('button', { name: 'Tạo đợt' }).click()]);
      const main = page.locator('main');
      expect((await main.innerText()).normalize('NFC')).toContain('Đã tạo đợt khảo sát.');
      expect(await completedOf(page, 'SNV')).toBe('0');
      // Its chart is an SVG the page's own CSP lets through.
      expect(await page.locator('main svg[role="img"]').count()).toBe(1);
      expect(errors).toEqual([]);

      // Citizens are invited through the API with their Telegram chat ids…
      const tokens: string[] = [];
      for (const c of CITIZENS) {
        const res = await rig.product.api('POST', '/api/v1/invitations', { unitCode: c.unitCode, channel: 'telegram', dossierCode: c.dossierCode, recipient: { telegramChatId: String(c.chatId) } });
        const body = await res.text();
        expect(res.status, body).toBe(201);
        tokens.push((JSON.parse(body) as { token: string }).token);
      }
      await waitUntil(
        async () => {
          const p = (await (await rig.product.api('GET', `/api/v1/rounds/${ROUND.code}/progress`)).json()) as { total?: { sent?: number } };
          return p.total?.sent === CITIZENS.length;
        },
        'the invitations sent',
        60_000,
        250,
      );
      await page.reload();
      expect((await page.locator('table.progress-table tbody tr', { has: page.locator('th:has-text("(SNV)")') }).innerText()).replace(/\s+/g, ' ')).toMatch(/^Sở Nội vụ \(SNV\) 5 2 2 /);

      // …and answer the whole survey over the webhook.
      const webhook = webhookOver(rig.product.baseUrl);
      for (const [i, c] of CITIZENS.entries()) {
        const { finalText } = await driveSurvey(webhook, rig.product.telegram, c.chatId, `/start ${tokens[i]}`);
        expect(finalText.normalize('NFC')).toMatch(/cảm ơn/i);
      }
      await waitUntil(
        async () => {
          const p = (await (await rig.product.api('GET', `/api/v1/rounds/${ROUND.code}/progress`)).json()) as { total?: { completed?: number } };
          return p.total?.completed === CITIZENS.length;
        },
        'the completed surveys counted in the round',
        60_000,
        250,
      );
      await page.reload();
      expect(await completedOf(page, 'SNV')).toBe(String(CITIZENS.length));
      const total = (await page.locator('table.progress-table tfoot tr').innerText()).replace(/\s+/g, ' ');
      // Target 8, invited 2, sent 2, opened 2, started 2, completed 2: a completed invitation forgets
      // its exact times, but its status still counts it at every step of the funnel.
      expect(total).toMatch(/^Tổng cả đợt \(0\/2 đơn vị đạt\) 8 2 2 2 2 2 0 0 \S+ Chưa đạt/);
      // No citizen's chat id or dossier code on the page.
      const html = await page.content();
      for (const c of CITIZENS) {
        expect(html).not.toContain(c.dossierCode);
        expect(html).not.toContain(String(c.chatId));
      }
      await page.goto('/rounds');
      expect((await page.locator('main table').innerText()).normalize('NFC')).toContain(`${CITIZENS.length} / 8`);

      await page.goto(`/rounds/${ROUND.code}`);
      await Promise.all([page.waitForURL('**/counter-qr/SNV'), page.getByRole('link', { name: 'Mã QR tại quầy của Sở Nội vụ' }).click()]);
      expect((await main.innerText()).normalize('NFC')).toContain('/start u_SNV');
      const qr = page.locator('img.poster-qr');
      expect(await qr.count()).toBe(1);
      expect(await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(100);
      // Printed, the poster stands alone: no navigation, no hints.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.site-header').isVisible()).toBe(false);
      expect(await page.locator('.poster').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });
      expect(errors).toEqual([]);
    }, { bypassCSP: false });

    // axe-core is injected into the page, which the page's own CSP would refuse: a page that bypasses it.
    await withPage(rig, CONSOLE_USERS.admin, async (a11y) => {
      await checkPage(a11y, 'rounds-list');
      await a11y.goto(`/rounds/${ROUND.code}`);
      await checkPage(a11y, 'round-detail');
      await a11y.goto('/counter-qr/SNV');
      await checkPage(a11y, 'counter-qr');
    }, { next: '/rounds' });
  });

  it('shows an officer their own unit’s progress and poster, with no form to edit the round', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.officer, async (page) => {
      const text = (await page.locator('main').innerText()).normalize('NFC');
      expect(text).toContain('Sở Nội vụ (SNV)');
      expect(text).not.toContain('UBND xã Tân Phong');
      expect(await page.locator('form[action$="/close"]').count()).toBe(0);
      expect(await page.getByRole('heading', { name: 'Sửa đợt khảo sát' }).count()).toBe(0);
      await checkPage(page, 'round-detail-officer');

      // The officer sends the sampling frame as a CSV file through the plain form.
      const csv = ['Mã đơn vị;Mã hồ sơ;Ngày hoàn thành;Mã Telegram', `SNV;HS-SNV-200001;${viDay(-1)};6660002001`, `XTP;HS-XTP-200002;${viDay(-1)};6660002002`].join('\n');
      await page.getByLabel('Tệp CSV hồ sơ đã hoàn thành', { exact: false }).setInputFiles({ name: 'ho-so.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await Promise.all([page.waitForURL(`**/rounds/${ROUND.code}/frame`), page.getByRole('button', { name: 'Tải lên và rút mẫu' }).click()]);
      const result = (await page.locator('main').innerText()).normalize('NFC');
      expect(result).toContain('Đã đọc 2 dòng: nhận 1 (thêm mới 1), loại 1.');
      expect(result).toContain('Đơn vị XTP không có chỉ tiêu trong đợt này');
      await checkPage(page, 'round-frame-result');
    }, { next: `/rounds/${ROUND.code}` });
  });
});
