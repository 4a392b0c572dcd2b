import type { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeReportCsvLong, CSV_LONG_COLUMNS } from '../../src/export/write-report-csv-long.js';
import { writeReportJson } from '../../src/export/write-report-json.js';
import { writeReportXlsx } from '../../src/export/write-report-xlsx.js';
import { flattenNodes } from '../../src/export/flatten-nodes.js';
import { indexReportSchema, type IndexReport, type ReportNode } from '../../src/scoring/report-schema.js';
import { ONE_FIELD, TWO_FIELDS } from '../support/scoring-fixtures.js';
import { collector, sampleReport } from './sample-report.js';

async function render(write: (r: IndexReport, out: Writable) => Promise<void>, report: IndexReport): Promise<Buffer> {
  const c = collector();
  await write(report, c.stream);
  return c.done();
}

type Scope = { code: string; nodes: ReportNode[]; index: number | null; ci: { low: number; high: number } | null; rank: number | null; responses: number | null };
const scopes = (r: IndexReport): Scope[] => [{ ...r.overall, code: '', rank: null }, ...r.units];
const num = (s: string) => (s === '' ? null : Number(s));

describe.each([
  ['two-field instrument', TWO_FIELDS],
  ['one-field instrument', ONE_FIELD],
])('exports of a %s', (_, def) => {
  const report = sampleReport(def);

  it('JSON parses back to the same report and matches the schema', async () => {
    const parsed = indexReportSchema.parse(JSON.parse((await render(writeReportJson, report)).toString('utf8')));
    expect(parsed).toEqual(report);
  });

  it('long CSV (UTF-8 with BOM) parses back to the same numbers, one row per scope × node', async () => {
    const buf = await render(writeReportCsvLong, report);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8');
    expect(text).toContain('Đơn vị số 1 – phường Đống Đa');
    const rows = parse(buf, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(Object.values(CSV_LONG_COLUMNS));
    const nodeCount = flattenNodes(report.overall.nodes).length;
    expect(rows).toHaveLength((report.units.length + 1) * (nodeCount + 1));
    for (const s of scopes(report)) {
      const mine = rows.filter((r) => r['Mã đơn vị'] === s.code);
      expect(mine).toHaveLength(nodeCount + 1);
      expect(mine[0]).toMatchObject({ 'Cấp': 'total', 'Phạm vi': s.code ? 'unit' : 'overall' });
      expect(num(mine[0]!['Chỉ số (%)']!)).toBe(s.index);
      expect(num(mine[0]!['Cận dưới 95% (%)']!)).toBe(s.ci?.low ?? null);
      expect(num(mine[0]!['Xếp hạng']!)).toBe(s.rank);
      expect(num(mine[0]!['Số phiếu']!)).toBe(s.responses);
      flattenNodes(s.nodes).forEach((node, i) => {
        const row = mine[i + 1]!;
        expect([row['Mã'], row['Cấp'], row['Nội dung']]).toEqual([node.code, node.kind, node.title]);
        expect(num(row['Chỉ số (%)']!)).toBe(node.index);
        expect(num(row['Cận dưới 95% (%)']!)).toBe(node.ci?.low ?? null);
        expect(num(row['Cận trên 95% (%)']!)).toBe(node.ci?.high ?? null);
        expect(num(row['Số trả lời hợp lệ']!)).toBe(node.n ?? null);
        expect(num(row['Mức 5']!)).toBe(node.counts?.['5'] ?? null);
        expect(num(row['Không áp dụng']!)).toBe(node.counts?.na ?? null);
        expect(num(row['Xếp hạng']!)).toBe(s.rank);
      });
    }
  });

  it('XLSX parses back to the same numbers with Vietnamese headers, 2-decimal formats, frozen headers and colour scales', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await render(writeReportXlsx, report)) as unknown as ArrayBuffer);
    const parents = flattenNodes(report.overall.nodes).filter((n) => n.kind !== 'criterion');
    const expectedSheets = ['Phụ lục', 'Tổng hợp', ...parents.map((n) => `${n.kind === 'field' ? 'Lĩnh vực' : 'Yếu tố'} ${n.code}`), 'Tỷ lệ lựa chọn', 'Lựa chọn theo đơn vị', 'Phương pháp'];
    expect(wb.worksheets.map((w) => w.name)).toEqual(expectedSheets);

    const summary = wb.getWorksheet('Tổng hợp')!;
    const header = (summary.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 9)).toEqual(['STT', 'Mã đơn vị', 'Đơn vị', 'Nhóm đơn vị', 'Số phiếu', 'Chỉ số %', 'Cận dưới 95%', 'Cận trên 95%', 'Xếp hạng']);
    expect(header.slice(9, 9 + parents.length)).toEqual(parents.map((n) => `${n.kind === 'field' ? 'Lĩnh vực' : 'Yếu tố'} ${n.code}: ${n.title} (%)`));
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // exceljs reads conditional formats back but does not declare the property.
    const cf = (summary as unknown as { conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] }).conditionalFormattings;
    expect(cf.map((f) => [f.ref, f.rules[0]!.type])).toEqual([
      [`F2:F${report.units.length + 1}`, 'colorScale'],
      [`J2:${String.fromCharCode(73 + parents.length)}${report.units.length + 1}`, 'colorScale'],
    ]);
    expect(summary.rowCount).toBe(report.units.length + 2);
    const cell = (sheet: ExcelJS.Worksheet, r: number, c: number) => sheet.getRow(r).getCell(c).value ?? null;
    report.units.forEach((u, i) => {
      const r = i + 2;
      expect([cell(summary, r, 1), cell(summary, r, 2), cell(summary, r, 3), cell(summary, r, 5)]).toEqual([i + 1, u.code, u.name, u.responses]);
      expect([cell(summary, r, 6), cell(summary, r, 7), cell(summary, r, 8), cell(summary, r, 9)]).toEqual([u.index, u.ci?.low ?? null, u.ci?.high ?? null, u.rank]);
      const byCode = new Map(flattenNodes(u.nodes).map((n) => [n.code, n.index]));
      parents.forEach((p, k) => expect(cell(summary, r, 10 + k)).toBe(byCode.get(p.code)));
      if (u.index !== null) expect(summary.getRow(r).getCell(6).numFmt).toBe('0.00');
    });
    const last = report.units.length + 2;
    expect([cell(summary, last, 3), cell(summary, last, 5), cell(summary, last, 6)]).toEqual(['Tổng hợp chung', report.overall.responses, report.overall.index]);

    for (const parent of parents) {
      const sheet = wb.getWorksheet(`${parent.kind === 'field' ? 'Lĩnh vực' : 'Yếu tố'} ${parent.code}`)!;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      const children = parent.children!;
      for (const [i, s] of [...report.units, { ...report.overall, code: null }].entries()) {
        const byCode = new Map(flattenNodes(s.nodes).map((n) => [n.code, n.index]));
        expect(cell(sheet, i + 2, 2)).toBe(s.code || null);
        expect(cell(sheet, i + 2, 6)).toBe(byCode.get(parent.code));
        children.forEach((c, k) => expect(cell(sheet, i + 2, 7 + k)).toBe(byCode.get(c.code)));
      }
    }

    // Option shares: one question per block (title, respondents, header, a row per option), three columns wide.
    const options = wb.getWorksheet('Tỷ lệ lựa chọn')!;
    const optionRows = Array.from({ length: options.rowCount }, (_, i) => (options.getRow(i + 1).values as unknown[]).slice(1));
    expect(optionRows).toEqual(
      report.overall.options.flatMap((q) => [[`Câu ${q.code}: ${q.title}`], ['Số người trả lời', q.answered], ['Phương án', 'Số lượt chọn', 'Tỷ lệ (%)'], ...q.shares.map((sh) => [sh.label, sh.count, ...(sh.share === null ? [] : [sh.share])]), []]).slice(0, -1), // the last blank row is not stored
    );
    expect(options.columnCount).toBe(3);
    // Per unit: per question block, a row per unit and option.
    const unitOptions = wb.getWorksheet('Lựa chọn theo đơn vị')!;
    const unitRows = Array.from({ length: unitOptions.rowCount - 1 }, (_, i) => Array.from({ length: 7 }, (_, k) => cell(unitOptions, i + 2, k + 1)));
    expect(unitRows).toEqual(
      report.overall.options.flatMap((q) => [
        [null, null, `Câu ${q.code}: ${q.title}`, null, null, null, null],
        ...report.units.flatMap((u, i) => {
          if (u.suppressed) return [[i + 1, u.code, u.name, null, expect.stringContaining('Ẩn') as unknown, null, null]].map((r) => (u.lowSample ? [...r.slice(0, 4), expect.stringContaining('Dưới 5 phiếu'), null, null] : r));
          const mine = u.options.find((o) => o.code === q.code);
          return q.shares.map((sh) => {
            const own = mine?.shares.find((x) => x.option === sh.option);
            return [i + 1, u.code, u.name, mine?.answered ?? 0, sh.label, own?.count ?? 0, own?.share ?? null];
          });
        }),
      ]),
    );
    expect(report.overall.options.some((q) => q.shares.some((sh) => sh.share !== null && !Number.isInteger(sh.share)))).toBe(true);

    const method = wb.getWorksheet('Phương pháp')!;
    const text = Array.from({ length: method.rowCount }, (_, i) => (method.getRow(i + 1).values as unknown[]).join(' ')).join('\n');
    expect(text).toContain('2025-01-01');
    expect(text).toContain('2025-06-30');
    expect(text).toContain('Cỡ mẫu tối thiểu 5');
    expect(text).toContain('Wilson');
    expect(text).toContain(report.generatedAt);
    // The rules that made these numbers: mode, aggregation with its evidence, totals, ranking.
    expect(text).toContain('Cách hỏi');
    expect(text).toContain('Phiếu riêng của địa phương');
    expect(text).toContain('cách hiểu của nhóm phát triển');
    expect(text).toContain('Trung bình cộng chỉ số của các đơn vị được công bố');
    expect(text).toContain('làm tròn 2 chữ số thập phân');
    expect(text).toContain('không thuộc phương pháp chính thức');
  });
});

describe('suppression in exports', () => {
  it('shows no figures for a withheld unit in any format', async () => {
    const report = sampleReport(TWO_FIELDS);
    const hidden = report.units.filter((u) => u.suppressed);
    expect(hidden.map((u) => u.code)).toEqual(['DV01', 'DV02']);
    const rows = parse(await render(writeReportCsvLong, report), { bom: true, columns: true }) as Record<string, string>[];
    for (const row of rows.filter((r) => hidden.some((u) => u.code === r['Mã đơn vị']))) {
      expect([row['Chỉ số (%)'], row['Số trả lời hợp lệ'], row['Mức 4'], row['Cận dưới 95% (%)']]).toEqual(['', '', '', '']);
      expect(row['Ẩn chi tiết']).toBe('có');
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await render(writeReportXlsx, report)) as unknown as ArrayBuffer);
    const options = wb.getWorksheet('Lựa chọn theo đơn vị')!;
    const dv02Rows = Array.from({ length: options.rowCount }, (_, i) => options.getRow(i + 1)).filter((r) => r.getCell(2).value === 'DV02');
    expect(dv02Rows).toHaveLength(report.overall.options.length);
    for (const r of dv02Rows) expect([r.getCell(4).value, r.getCell(5).value, r.getCell(6).value, r.getCell(7).value]).toEqual([null, expect.stringContaining('Dưới 5 phiếu'), null, null]);
    const summary = wb.getWorksheet('Tổng hợp')!;
    const dv02 = report.units.findIndex((u) => u.code === 'DV02') + 2;
    expect(String(summary.getRow(dv02).getCell(summary.columnCount).value)).toContain('Dưới 5 phiếu');
  });
});
