import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flattenNodes } from '../../src/export/flatten-nodes.js';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { shownIndex } from '../../src/scoring/rank-units.js';
import type { IndexReport, ReportNode } from '../../src/scoring/report-schema.js';
import { ANNEX_FROM, ANNEX_GROUPS, ANNEX_TO, ANNEX_UNITS, seedAnnexProvince } from '../support/annex-units.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';

/*
 * One report, three formats: the JSON, the annex CSV (both locales) and the annex sheet of
 * the workbook carry the same sections, units, ranks within sections and numbers. A
 * two-field instrument, so the annex has field and element columns.
 */

const def = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2024' && d.version === 2)!;
let product: Product;
let report: IndexReport;
beforeAll(async () => {
  product = await startProduct({ REPORT_MIN_CELL: '5', PROVINCE_NAME: 'tỉnh Quảng Nam' }, { worker: false, now: () => new Date('2026-12-05T03:00:00Z') });
  await seedAnnexProvince(product, def);
  report = (await download('json')).json() as IndexReport;
});
afterAll(async () => product?.stop());

async function download(format: string, extra = '') {
  const res = await product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?questionnaire=sipas-2024@2&from=${ANNEX_FROM}&to=${ANNEX_TO}&format=${format}${extra}`, headers: adminHeaders });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res;
}

type Scope = { responses: number | null; index: number | null; nodes: ReportNode[]; suppressed: boolean };
/** The annex rows the JSON implies: per section its group, then its units; the province last. */
function expectedRows() {
  const columns = flattenNodes(report.overall.nodes).filter((n) => n.kind !== 'criterion');
  const figures = (s: Scope) => {
    const byCode = new Map(flattenNodes(s.nodes).map((n) => [n.code, n.index]));
    return { responses: s.responses, index: s.index, columns: columns.map((c) => byCode.get(c.code) ?? null), withheld: s.suppressed };
  };
  const rows = report.groups.flatMap((g) => [
    { kind: 'group', section: g.section, stt: null, code: g.group, name: g.label, rank: null, ...figures(g) },
    ...report.units.filter((u) => u.group === g.group).map((u, i) => ({ kind: 'unit', section: g.section, stt: i + 1, code: u.code, name: u.name, rank: u.rank, ...figures(u) })),
  ]);
  return { columns, rows: [...rows, { kind: 'province', section: '', stt: null, code: '', name: 'Chỉ số chung tỉnh Quảng Nam (trung bình các đơn vị)', rank: null, ...figures(report.overall) }] };
}

describe('JSON, CSV and XLSX of one report', () => {
  it('the JSON has the sections in order, ranks within them and a withheld unit', () => {
    expect(report.groups.map((g) => [g.section, g.label, g.rankSeparately])).toEqual([
      ['I', 'Sở, ban, ngành', false],
      ['II', 'UBND cấp huyện', false],
      ['III', 'UBND cấp xã', false],
      ['IV', 'Chi nhánh Văn phòng đăng ký đất đai', true],
    ]);
    expect(report.units).toHaveLength(ANNEX_UNITS.length);
    expect(report.units.some((u) => u.suppressed)).toBe(true);
    for (const g of ANNEX_GROUPS) {
      const ranks = report.units.filter((u) => u.group === g.code && u.rank !== null).map((u) => u.rank!);
      expect(ranks[0]).toBe(1);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    expect(report.units.filter((u) => u.group === 'chi-nhanh').every((u) => u.overallRank === null)).toBe(true);
  });

  it.each([
    ['en', ',', '.'],
    ['vi', ';', ','],
  ] as const)('the annex CSV (locale=%s) carries the same rows and numbers', async (locale, delimiter, decimal) => {
    const res = await download('csv', `&locale=${locale}`);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const { columns, rows } = expectedRows();
    const csv = parse(res.rawPayload, { bom: true, delimiter }) as string[][];
    expect(csv[0]).toEqual(['Phần', 'Loại dòng', 'STT', 'Mã', 'Tên', 'Số phiếu hợp lệ', ...columns.map((c) => `${c.kind === 'field' ? 'Lĩnh vực' : 'Yếu tố'} ${c.code}: ${c.title} (%)`), 'Chỉ số SIPAS (%)', 'Xếp hạng trong nhóm', 'Ghi chú']);
    const pct = (v: number | null, withheld: boolean) => (v === null || withheld ? '' : shownIndex(v).toFixed(2).replace('.', decimal));
    const kind = { group: 'Chung của nhóm', unit: 'Đơn vị', province: 'Chung toàn tỉnh' } as Record<string, string>;
    expect(csv.slice(1).map((r) => r.slice(0, -1))).toEqual(
      rows.map((r) => [r.section, kind[r.kind], r.stt === null ? '' : String(r.stt), r.code, r.name, r.withheld || r.responses === null ? '' : String(r.responses), ...r.columns.map((c) => pct(c, r.withheld)), pct(r.index, r.withheld), r.rank === null || r.withheld ? '' : String(r.rank)]),
    );
    expect(csv.slice(1).filter((r) => r.at(-1) !== '').map((r) => r[3])).toEqual(rows.filter((r) => r.withheld).map((r) => r.code));
  });

  it('the annex sheet carries the same rows and numbers, print-ready', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download('xlsx')).rawPayload as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('Phụ lục');
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '5:5' });
    const { columns, rows } = expectedRows();
    const width = 3 + columns.length + 3;
    const values = (r: number) => Array.from({ length: width }, (_, c) => sheet.getRow(r).getCell(c + 1).value ?? null);
    expect(values(1)[0]).toBe('CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC ĐỐI VỚI SỰ PHỤC VỤ CỦA CƠ QUAN HÀNH CHÍNH NHÀ NƯỚC TỈNH QUẢNG NAM');
    expect(values(3)[0]).toBe('(Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Ủy ban nhân dân tỉnh Quảng Nam)');
    expect(values(5)).toEqual(['STT', 'Tên đơn vị', 'Số phiếu hợp lệ', ...columns.map((c) => `${c.kind === 'field' ? 'Lĩnh vực' : 'Yếu tố'} ${c.code}: ${c.title} (%)`), 'Chỉ số SIPAS (%)', 'Xếp hạng', 'Ghi chú']);
    expect(sheet.getRow(5).height).toBeGreaterThan(30);
    const figure = (v: number | null, withheld: boolean) => (withheld ? '—' : v);
    expect(Array.from({ length: rows.length }, (_, i) => values(6 + i).slice(0, -1))).toEqual(
      rows.map((r) => [
        r.kind === 'unit' ? r.stt : r.kind === 'group' ? `${r.section}. ${r.name}` : r.name,
        r.kind === 'unit' ? r.name : r.kind === 'group' ? `${r.section}. ${r.name}` : r.name, // merged A:B reads back in both
        r.withheld ? '—' : r.responses,
        ...r.columns.map((c) => figure(c, r.withheld)),
        figure(r.index, r.withheld),
        r.withheld ? null : r.rank,
      ]),
    );
    expect(sheet.rowCount).toBe(5 + rows.length);
    const unitRow = sheet.getRow(6 + rows.findIndex((r) => r.kind === 'unit' && !r.withheld));
    expect(unitRow.getCell(3 + columns.length + 1).numFmt).toBe('0.00');
    expect(unitRow.getCell(2).font.name).toBe('Times New Roman');
  });

  it('csv-long is the long table; microdata refuses it', async () => {
    const res = await download('csv-long', '&locale=vi');
    expect(res.headers['content-disposition']).toContain('_long.csv');
    const rows = parse(res.rawPayload, { bom: true, delimiter: ';', columns: true }) as Record<string, string>[];
    const s01 = report.units.find((u) => u.code === 'S01')!;
    expect(rows.find((r) => r['Mã đơn vị'] === 'S01' && r['Cấp'] === 'total')!['Chỉ số (%)']).toBe(String(s01.index).replace('.', ','));
    const micro = await product.app!.inject({ method: 'GET', url: `/api/v1/responses/export?questionnaire=sipas-2024@2&period=2026-11&format=csv-long`, headers: adminHeaders });
    expect(micro.statusCode).toBe(400);
  });
});
