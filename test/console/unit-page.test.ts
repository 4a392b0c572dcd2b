/**
 * The unit page (`/units/:code`) in Chromium, on the product started as `npm start`: an
 * administrator picks a round in the page's form and sees the unit's index, its option
 * shares and its trend over two rounds, each chart a labelled SVG with its data table, under
 * the page's own CSP. Screenshots: unit-page-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Question } from '../../src/questionnaire/definition-schema.js';
import { criteria } from '../../src/questionnaire/index-tree.js';
import { optionQuestions } from '../../src/scoring/index-bindings.js';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, browserErrors, checkPage, consoleInBrowser, login, withPage } from '../support/browser.js';
import { insertResponses, type FakeResponse } from '../support/scoring-database.js';
import { chose, likert } from '../support/scoring-fixtures.js';
import { builtinDefinition } from '../support/survey-script.js';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const NOW = Date.now();
/** Two ended rounds, a quarter apart, each with answers inside its window. */
const ROUNDS = [
  { code: 'R-XUAN', name: 'Đợt khảo sát mùa xuân', opensOn: isoDay(NOW - 200 * DAY), closesOn: isoDay(NOW - 170 * DAY), answeredOn: isoDay(NOW - 185 * DAY), satisfied: 6 },
  { code: 'R-THU', name: 'Đợt khảo sát mùa thu', opensOn: isoDay(NOW - 100 * DAY), closesOn: isoDay(NOW - 70 * DAY), answeredOn: isoDay(NOW - 85 * DAY), satisfied: 10 },
];
const DEF = builtinDefinition('sipas-2017');

/** The first option of a perception or expectation question (single, multi or yes/no). */
function firstChoice(q: Question, i: number) {
  if (q.kind === 'yesno') return chose(q.code, i % 3 === 0);
  if (q.kind === 'multi') return chose(q.code, q.options.slice(0, 1 + (i % 2)).map((o) => o.value));
  if (q.kind === 'single') return chose(q.code, q.options[i % q.options.length]!.value);
  return likert(q.code, 4);
}

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).normalize('NFC');
}

describe('unit page in Chromium (product started as npm start)', () => {
  const rig = consoleInBrowser({
    async prepare(product) {
      const q = await product.db.prisma.questionnaire.findFirstOrThrow({ where: { code: DEF.code, version: DEF.version } });
      const units = await product.db.prisma.unit.findMany();
      const shared = optionQuestions(DEF).filter((x) => x.role === 'perception' || x.role === 'expectation');
      const rows: FakeResponse[] = [];
      for (const [r, round] of ROUNDS.entries()) {
        await product.db.prisma.round.create({ data: { code: round.code, name: round.name, questionnaireId: q.id, opensOn: new Date(`${round.opensOn}T00:00:00Z`), closesOn: new Date(`${round.closesOn}T00:00:00Z`) } });
        // 12 responses per unit and round: `satisfied` of them rate every criterion 5, the rest 3.
        for (const unit of units) {
          for (let i = 0; i < 12; i++) {
            rows.push({
              unitId: unit.id, day: round.answeredOn, status: 'completed', procedureCode: i < 8 ? `TT-0${r + 1}` : null,
              answers: [...criteria(DEF).map((c) => likert(c.question, i < round.satisfied ? 5 : 3)), ...shared.map((x) => firstChoice(x, i))],
            });
          }
        }
      }
      await insertResponses(product.db.prisma, { id: q.id, definition: DEF }, rows);
    },
  });

  it('lets an administrator pick a round and see the unit’s index, shares and trend as labelled charts with tables, accessible at 360 and 1366 px', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, null, async (page) => {
      const missing: string[] = [];
      page.on('response', (r) => {
        if (r.status() === 404) missing.push(r.url());
      });
      await login(page, CONSOLE_USERS.admin.username, CONSOLE_USERS.admin.password, '/units/SNV');
      expect(new URL(page.url()).pathname).toBe('/units/SNV');
      await page.selectOption('select[name="round"]', 'R-THU');
      await Promise.all([page.waitForURL(/round=R-THU/), page.click('form.unit-select [type="submit"]')]);
      const text = await mainText(page);
      expect(text).toContain('Đơn vị: Sở Nội vụ');
      expect(text).toContain('Chỉ số hài lòng · Đợt khảo sát mùa thu (R-THU');
      // 10 of 12 satisfied on every criterion.
      expect(text).toContain('83,33%');
      expect(text).toContain('Xu hướng qua các đợt khảo sát');
      const trend = (await page.locator('table:has(caption:text("Chỉ số chung qua các đợt")) tbody tr').allInnerTexts()).map((t) => t.normalize('NFC'));
      expect(trend).toHaveLength(2);
      expect(trend[0]).toContain('R-XUAN');
      expect(trend[0]).toContain('50,00%');
      expect(trend[1]).toContain('R-THU');
      expect(trend[1]).toContain('+33,33 điểm');
      // Every chart is a labelled SVG drawn on the server; the page has a table for each.
      const labels = await page.locator('main svg').evaluateAll((svgs) => svgs.map((svg) => svg.getAttribute('aria-label') ?? ''));
      expect(labels.length).toBeGreaterThanOrEqual(3);
      expect(labels.filter((l) => !l.startsWith('Biểu đồ')), 'charts without a label').toEqual([]);
      expect(labels.some((l) => l.startsWith('Biểu đồ đường'))).toBe(true);
      for (const figure of await page.locator('main .chart-pair:has(svg)').all()) expect(await figure.locator('table').count()).toBe(1);
      expect(missing).toEqual([]);
      await checkPage(page, 'unit-page-admin');
    });
  });

  it('runs under the page’s own CSP without a refused script or style', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.viewer, async (page) => {
      await page.waitForLoadState('networkidle');
      expect(await mainText(page)).toContain('Đơn vị: UBND xã Tân Phong');
      expect(await page.locator('main svg[role="img"]').count()).toBeGreaterThanOrEqual(3);
      // Chromium's own /favicon.ico request (not the page's) answers 404; anything else would be a refusal or a missing asset.
      expect(browserErrors(page).filter((e) => !/status of 404/.test(e))).toEqual([]);
    }, { bypassCSP: false, next: '/units/XTP?round=R-XUAN' });
  });
});
