import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { shownIndex } from '../../src/scoring/rank-units.js';
import type { IndexReport } from '../../src/scoring/report-schema.js';
import { ANNEX_FROM, ANNEX_TO, ANNEX_UNITS, seedAnnexProvince } from '../support/annex-units.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';

/*
 * The annex workbook as an administrator prints it: converted to PDF by LibreOffice, it is
 * A4 landscape, one page wide, the table header on every page, and each unit's name and
 * index on the same line of the same page. LibreOffice and poppler are installed by CI
 * (.ci/run), never by this test: without them it fails and says so.
 */

const TOOLS = { soffice: 'libreoffice-calc-nogui', pdftotext: 'poppler-utils', pdfinfo: 'poppler-utils' };
function requireTools() {
  for (const [tool, pkg] of Object.entries(TOOLS)) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
      throw new Error(`${tool} is missing: this test prints the workbook with LibreOffice and reads the PDF with poppler. Install them (as .ci/run does): apt-get install -y --no-install-recommends ${pkg} fonts-liberation`);
    }
  }
}

const def = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2017' && d.version === 2)!;
let product: Product;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'annex-print-'));
  product = await startProduct({ REPORT_MIN_CELL: '5', PROVINCE_NAME: 'tỉnh Quảng Nam' }, { worker: false, now: () => new Date('2026-12-05T03:00:00Z') });
  await seedAnnexProvince(product, def);
});
afterAll(async () => {
  await product?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const download = async (format: string) => {
  const res = await product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?questionnaire=sipas-2017@2&from=${ANNEX_FROM}&to=${ANNEX_TO}&format=${format}`, headers: adminHeaders });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res;
};

/** Converts the workbook with a LibreOffice profile of its own (parallel runs must not share one). */
function printToPdf(xlsx: Buffer): string {
  const file = join(dir, 'annex.xlsx');
  writeFileSync(file, xlsx);
  execFileSync('soffice', [`-env:UserInstallation=file://${join(dir, 'lo-profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'pipe', timeout: 120_000 });
  return join(dir, 'annex.pdf');
}

describe('the annex workbook printed by LibreOffice', () => {
  it('is A4 landscape, one page wide, with its header on every page and each unit’s name and index on one line', async () => {
    requireTools();
    const report = (await download('json')).json() as IndexReport;
    const pdf = printToPdf((await download('xlsx')).rawPayload);

    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '999', pdf], { encoding: 'utf8' });
    const pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
    const sizes = [...info.matchAll(/^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(sizes).toHaveLength(pageCount);
    expect(new Set(sizes.map((s) => s.join('x')))).toEqual(new Set(['842x595'])); // A4 landscape, every page

    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).normalize('NFC').split('\f').slice(0, pageCount);
    // The annex is the first sheet: its pages are those with its header, all before the next sheet's.
    const annexPages = pages.filter((p) => p.includes('Tên đơn vị') && p.includes('Chỉ số SIPAS'));
    expect(pages.slice(0, annexPages.length)).toEqual(annexPages);
    // 63 units, 4 section rows and the province total, rows of 15–35 pt, scaled to fit A4 landscape's width: 2 pages.
    expect(annexPages).toHaveLength(2);
    // One page wide: every annex page carries the first and the last column's header.
    for (const page of annexPages) expect(page).toMatch(/STT[\s\S]*Xếp hạng/);
    // pdftotext may split a word where a glyph is kerned ("khu v ực"): text is compared without spaces, numbers as whole words.
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(squash(annexPages[0]!)).toContain(squash('CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC ĐỐI VỚI SỰ PHỤC VỤ CỦA CƠ QUAN HÀNH CHÍNH NHÀ NƯỚC TỈNH QUẢNG NAM'));
    expect(squash(annexPages[0]!)).toContain(squash('(Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Ủy ban nhân dân tỉnh Quảng Nam)'));

    // The decimal separator LibreOffice printed (its locale's), read off the province row.
    const province = report.overall.index!;
    const separator = annexPages.join('').includes(shownIndex(province).toFixed(2).replace('.', ',')) ? ',' : '.';
    const shown = (v: number) => shownIndex(v).toFixed(2).replace('.', separator);

    const lineOf = (name: string) => {
      const hits = annexPages.flatMap((p) => p.split('\n').filter((l) => squash(l).includes(squash(name))));
      expect(hits, name).toHaveLength(1);
      return hits[0]!.trim().split(/\s+/);
    };
    expect(report.units).toHaveLength(ANNEX_UNITS.length);
    for (const u of report.units) expect(lineOf(u.name), u.name).toContain(u.suppressed ? '—' : shown(u.index!));
    for (const g of report.groups) expect(lineOf(`${g.section}. ${g.label}`)).toContain(shown(g.index!));
    expect(lineOf('Chỉ số chung tỉnh Quảng Nam')).toContain(shown(province));
    expect(report.units.filter((u) => u.suppressed).length).toBeGreaterThan(0);
  });
});
