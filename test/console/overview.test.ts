/**
 * The overview (`/`) of an open round, in Chromium: each role sees the round's progress
 * per unit group as a table (an officer only its own units' group), none of the
 * citizens' dossier codes or chat ids; its charts are labelled SVG (ECharts), each with its
 * data table, and the page runs under its own CSP without a refusal. Screenshots: overview-round-<role>-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, browserErrors, checkPage, consoleInBrowser, withPage } from '../support/browser.js';
import { waitUntil } from '../support/wait-until.js';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ROUND = { code: 'Q4-2026', name: 'Đợt khảo sát quý IV/2026' };
const GROUPS = [
  { code: 'department', label: 'Sở, ban, ngành', order: 1 },
  { code: 'commune', label: 'UBND cấp xã', order: 2 },
];
/** Personal data the invitations carry: never shown on the overview. */
const INVITED = [
  { unitCode: 'SNV', dossierCode: 'HS-SNV-000481', chatId: '5550001001' },
  { unitCode: 'SNV', dossierCode: 'HS-SNV-000482', chatId: '5550001002' },
  { unitCode: 'SNV', dossierCode: 'HS-SNV-000483', chatId: '5550001003' },
  { unitCode: 'XTP', dossierCode: 'HS-XTP-000091', chatId: '5550002001' },
];

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).normalize('NFC');
}

describe('overview of the open round in Chromium (product started as npm start)', () => {
  const rig = consoleInBrowser({
    async prepare(product) {
      const groups = await product.api('PUT', '/api/v1/unit-groups', GROUPS);
      expect(groups.status, await groups.text()).toBe(200);
      const now = Date.now();
      const round = await product.api('POST', '/api/v1/rounds', {
        ...ROUND,
        questionnaire: 'sipas-2024',
        opensOn: isoDay(now - DAY),
        closesOn: isoDay(now + 30 * DAY),
        quotas: [
          { unitCode: 'SNV', target: 20 },
          { unitCode: 'XTP', target: 10 },
        ],
        onQuotaFull: 'continue',
      });
      expect(round.status, await round.text()).toBe(201);
      for (const i of INVITED) {
        const res = await product.api('POST', '/api/v1/invitations', { unitCode: i.unitCode, channel: 'telegram', dossierCode: i.dossierCode, recipient: { telegramChatId: i.chatId } });
        expect(res.status, await res.text()).toBe(201);
      }
      // The invitations go out through the queues to the fake Telegram: wait until progress counts them sent.
      await waitUntil(
        async () => {
          const progress = (await (await product.api('GET', `/api/v1/rounds/${ROUND.code}/progress`)).json()) as { total?: { sent?: number } };
          return progress.total?.sent === INVITED.length;
        },
        'the invitations sent',
        60_000,
        250,
      );
    },
  });

  for (const user of Object.values(CONSOLE_USERS)) {
    it(`shows ${user.role} the open round’s progress per unit group, without personal data, accessible at 360 and 1366 px`, { timeout: BROWSER_TEST_TIMEOUT }, async () => {
      await withPage(rig, user, async (page) => {
        const text = await mainText(page);
        expect(text).toContain(ROUND.name);
        const tables = (await page.locator('main table').allInnerTexts()).map((t) => t.normalize('NFC')).join('\n');
        expect(tables).toContain(GROUPS[0]!.label);
        // An officer acts for SNV only: the communes' group is none of its business.
        if (user.role === 'officer') expect(tables).not.toContain(GROUPS[1]!.label);
        else expect(tables).toContain(GROUPS[1]!.label);
        const html = await page.content();
        for (const i of INVITED) {
          expect(html).not.toContain(i.dossierCode);
          expect(html).not.toContain(i.chatId);
        }
        await checkPage(page, `overview-round-${user.role}`);
      });
    });
  }

  it('shows its charts as labelled SVG, each with a data table, under the page’s own CSP without a refused script or style', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.admin, async (page) => {
      await page.waitForLoadState('networkidle');
      // ECharts draws them (on the server or in the page): either way an SVG a screen reader can name.
      await expect.poll(() => page.locator('main svg').count(), { message: 'an SVG chart in the page', timeout: 20_000 }).toBeGreaterThan(0);
      const labels = await page.locator('main svg').evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute('aria-label') ?? svg.querySelector('title')?.textContent ?? ''));
      expect(labels.filter((l) => !l.trim()), 'charts without a label').toEqual([]);
      expect(await page.locator('main table').count()).toBeGreaterThanOrEqual(labels.length);
      expect(browserErrors(page)).toEqual([]);
    }, { bypassCSP: false });
  });
});
