/**
 * /rankings in Chromium, on the product started as `npm start`: an administrator sees the
 * annex of the latest ended period and downloads the XLSX annex through the page's link
 * (read back with exceljs); a viewer sees the rankings and, on every page the viewer's
 * navigation lists, none of the citizens' dossier codes, chat ids or phone numbers.
 * Screenshots: rankings-admin-*.png, rankings-viewer-*.png.
 */
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { criteria } from '../../src/questionnaire/index-tree.js';
import { shownIndex } from '../../src/scoring/rank-units.js';
import { latestEndedPeriod } from '../../src/scoring/report-period.js';
import { BROWSER_TEST_TIMEOUT, CONSOLE_USERS, checkPage, consoleInBrowser, withPage, type ConsoleProduct } from '../support/browser.js';
import { insertResponses } from '../support/scoring-database.js';
import { likert } from '../support/scoring-fixtures.js';
import { builtinDefinition } from '../support/survey-script.js';
import { SNV, XTP } from '../support/units.js';

const GROUPS = [
  { code: 'department', label: 'Sở, ban, ngành', order: 1 },
  { code: 'commune', label: 'UBND cấp xã', order: 2 },
];
/** Personal data the invitations carry: never shown to a viewer. */
const INVITED = [
  { unitCode: 'SNV', dossierCode: 'HS-SNV-771001', chatId: '5557771001', phone: '0912771001' },
  { unitCode: 'SNV', dossierCode: 'HS-SNV-771002', chatId: '5557771002', phone: '0912771002' },
  { unitCode: 'XTP', dossierCode: 'HS-XTP-771003', chatId: '5557771003', phone: '0912771003' },
];
/** The phone numbers as any normalisation keeps them (the last nine digits). */
const PERSONAL = INVITED.flatMap((i) => [i.dossierCode, i.chatId, i.phone.slice(1)]);

/** SNV: five respondents satisfied on every criterion, one not (83,33%, as the overview test has it); XTP: four and two. */
async function seedResults(product: ConsoleProduct, day: string): Promise<void> {
  const def = builtinDefinition('sipas-2017');
  const q = await product.db.prisma.questionnaire.findFirstOrThrow({ where: { code: def.code, version: def.version } });
  const units = new Map((await product.db.prisma.unit.findMany()).map((u) => [u.code, u.id]));
  const questions = criteria(def).map((c) => c.question);
  const response = (unitCode: string, score: number) => ({ unitId: units.get(unitCode)!, day, status: 'completed' as const, answers: questions.map((qc) => likert(qc, score)) });
  await insertResponses(product.db.prisma, { id: q.id, definition: def }, [
    ...Array.from({ length: 5 }, () => response('SNV', 5)),
    response('SNV', 2),
    ...Array.from({ length: 4 }, () => response('XTP', 5)),
    ...Array.from({ length: 2 }, () => response('XTP', 1)),
  ]);
}

async function mainText(page: Page): Promise<string> {
  return (await page.locator('main').innerText()).normalize('NFC');
}

describe('rankings in Chromium (product started as npm start)', () => {
  const rig = consoleInBrowser({
    async prepare(product) {
      const groups = await product.api('PUT', '/api/v1/unit-groups', GROUPS);
      expect(groups.status, await groups.text()).toBe(200);
      for (const i of INVITED) {
        const res = await product.api('POST', '/api/v1/invitations', { unitCode: i.unitCode, channel: 'telegram', dossierCode: i.dossierCode, recipient: { telegramChatId: i.chatId, phone: i.phone } });
        expect(res.status, await res.text()).toBe(201);
      }
      // In the period viewers may read: the latest ended one of the default kind (quarter).
      await seedResults(product, latestEndedPeriod('quarter', new Date()).from);
    },
  });

  it('shows an administrator the annex and downloads it as XLSX through the page’s link', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.admin, async (page) => {
      await page.click('nav >> text=Xếp hạng');
      await page.waitForURL('**/rankings');
      const table = (await page.locator('table.rankings').innerText()).normalize('NFC');
      expect(table).toContain('I. Sở, ban, ngành');
      expect(table).toContain('II. UBND cấp xã');
      expect(await page.locator('table.rankings tr', { hasText: SNV.name }).locator('td.index').innerText()).toBe('83,33');
      expect(await mainText(page)).toContain('Dữ liệu vi mô ẩn danh');
      await checkPage(page, 'rankings-admin');

      const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Phụ lục xếp hạng (Excel .xlsx)')]);
      expect(download.suggestedFilename()).toMatch(/^sipas-index_sipas-2017_\d{4}-Q[1-4]\.xlsx$/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(await download.path());
      const sheet = workbook.worksheets[0]!;
      expect(sheet.name).toBe('Phụ lục');
      const rows: ExcelJS.CellValue[][] = [];
      sheet.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)));
      const header = rows.find((r) => r.includes('Chỉ số SIPAS (%)'))!;
      const snv = rows.find((r) => r.includes(SNV.name));
      expect(snv, `a row for ${SNV.name}`).toBeDefined();
      expect(rows.some((r) => r.includes(XTP.name))).toBe(true);
      const index = snv![header.indexOf('Chỉ số SIPAS (%)')];
      expect(typeof index).toBe('number');
      expect(shownIndex(index as number).toFixed(2)).toBe('83.33');
    });
  });

  it('shows a viewer the rankings, and no personal data on any page the viewer’s navigation lists', { timeout: BROWSER_TEST_TIMEOUT }, async () => {
    await withPage(rig, CONSOLE_USERS.viewer, async (page) => {
      const links = await page.locator('nav[aria-label="Điều hướng chính"] a').evaluateAll((as) => as.map((a) => a.getAttribute('href')!));
      expect(links).toContain('/rankings');
      for (const href of links) {
        const res = await page.goto(href);
        expect(res?.status(), href).toBe(200);
        const html = await page.content();
        for (const value of PERSONAL) expect(html, `${href} shows ${value}`).not.toContain(value);
      }
      await page.goto('/rankings');
      expect(await page.locator('table.rankings tr', { hasText: SNV.name }).locator('td.index').innerText()).toBe('83,33');
      expect(await mainText(page)).not.toContain('Dữ liệu vi mô');
      await checkPage(page, 'rankings-viewer');
    });
  });
});
