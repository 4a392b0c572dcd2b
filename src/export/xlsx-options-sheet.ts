import type ExcelJS from 'exceljs';
import type { IndexReport, QuestionShares } from '../scoring/report-schema.js';
import { OVERALL_LABEL } from './xlsx-summary-sheet.js';
import { INTEGER_FORMAT, PERCENT_FORMAT, writeHeader, type XlsxColumn } from './xlsx-table.js';

export const OPTIONS_SHEET = 'Tỷ lệ lựa chọn';

/**
 * Option shares of non-index questions (profile, perception, overall satisfaction,
 * expectations…), one row per unit and the overall row last, in columns per question:
 * "<question> — số người trả lời", then "<question> — <option> (%)" per option. Numbers
 * only in the body (wide rather than long: 700 units × 100 options stay ~700 rows).
 * Withheld units have empty cells.
 */
export function writeOptionsSheet(workbook: ExcelJS.Workbook, report: IndexReport): void {
  const sheet = workbook.addWorksheet(OPTIONS_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }] });
  const questions = report.overall.options;
  const columns: XlsxColumn[] = [
    { header: 'STT', width: 6, numFmt: INTEGER_FORMAT },
    { header: 'Mã đơn vị', width: 12 },
    { header: 'Đơn vị', width: 36 },
    { header: 'Số phiếu', width: 10, numFmt: INTEGER_FORMAT },
    ...questions.flatMap((q) => [
      { header: `${q.title} — số người trả lời`, width: 16, numFmt: INTEGER_FORMAT },
      ...q.shares.map((s) => ({ header: `${q.title} — ${s.label} (%)`, width: 16, numFmt: PERCENT_FORMAT })),
    ]),
  ];
  writeHeader(sheet, columns);
  const cells = (options: QuestionShares[]) => {
    const byCode = new Map(options.map((q) => [q.code, q]));
    return questions.flatMap((q) => {
      const mine = byCode.get(q.code);
      return [mine?.answered ?? null, ...q.shares.map((_, i) => mine?.shares[i]?.share ?? null)];
    });
  };
  report.units.forEach((u, i) => sheet.addRow([i + 1, u.code, u.name, u.responses, ...cells(u.options)]).commit());
  sheet.addRow([null, '', OVERALL_LABEL, report.overall.responses, ...cells(report.overall.options)]).commit();
  sheet.commit();
}
