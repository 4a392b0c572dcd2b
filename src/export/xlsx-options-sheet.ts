import type ExcelJS from 'exceljs';
import type { IndexReport, QuestionShares } from '../scoring/report-schema.js';
import { suppressionNote } from './xlsx-summary-sheet.js';
import { a4LandscapePageSetup } from './xlsx-print-layout.js';
import { INTEGER_FORMAT, PERCENT_FORMAT, writeHeader } from './xlsx-table.js';

export const OPTIONS_SHEET = 'Tỷ lệ lựa chọn';
export const UNIT_OPTIONS_SHEET = 'Lựa chọn theo đơn vị';

/** The title row of a question's block: "Câu gender: Giới tính". */
export const questionTitle = (q: Pick<QuestionShares, 'code' | 'title'>): string => `Câu ${q.code}: ${q.title}`;

const bold = (row: ExcelJS.Row) => {
  row.font = { bold: true };
  row.commit();
};

/**
 * Option shares of non-index questions (profile, perception, overall satisfaction…) over
 * the whole report, one question per block (rows: option, count, share), so the sheet
 * stays three columns wide whatever the number of options.
 */
export function writeOptionsSheet(workbook: ExcelJS.Workbook, report: IndexReport): void {
  const sheet = workbook.addWorksheet(OPTIONS_SHEET, { pageSetup: a4LandscapePageSetup() });
  sheet.columns = [
    { key: 'a', width: 60 },
    { key: 'b', width: 14, style: { numFmt: INTEGER_FORMAT } },
    { key: 'c', width: 12, style: { numFmt: PERCENT_FORMAT } },
  ];
  if (report.overall.suppressed) sheet.addRow([suppressionNote(report.overall, report.minCell)]).commit();
  for (const q of report.overall.options) {
    bold(sheet.addRow([questionTitle(q)]));
    sheet.addRow(['Số người trả lời', q.answered]).commit();
    bold(sheet.addRow(['Phương án', 'Số lượt chọn', 'Tỷ lệ (%)']));
    for (const s of q.shares) sheet.addRow([s.label, s.count, s.share]).commit();
    sheet.addRow([]).commit();
  }
  sheet.commit();
}

/**
 * The same per unit, long: per question a block of rows (unit, option, count, share), the
 * unit repeated on each row so the table can be filtered. A withheld unit has one row
 * saying why, without figures.
 */
export function writeUnitOptionsSheet(workbook: ExcelJS.Workbook, report: IndexReport): void {
  const sheet = workbook.addWorksheet(UNIT_OPTIONS_SHEET, { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: a4LandscapePageSetup('1:1') });
  writeHeader(sheet, [
    { header: 'STT', width: 6, numFmt: INTEGER_FORMAT },
    { header: 'Mã đơn vị', width: 12 },
    { header: 'Đơn vị', width: 36 },
    { header: 'Số người trả lời', width: 12, numFmt: INTEGER_FORMAT },
    { header: 'Phương án', width: 40 },
    { header: 'Số lượt chọn', width: 12, numFmt: INTEGER_FORMAT },
    { header: 'Tỷ lệ (%)', width: 11, numFmt: PERCENT_FORMAT },
  ]);
  for (const q of report.overall.options) {
    bold(sheet.addRow([null, null, questionTitle(q)]));
    report.units.forEach((u, i) => {
      const unit = [i + 1, u.code, u.name];
      if (u.suppressed) return sheet.addRow([...unit, null, suppressionNote(u, report.minCell)]).commit();
      const mine = u.options.find((o) => o.code === q.code);
      for (const s of q.shares) {
        const own = mine?.shares.find((x) => x.option === s.option);
        sheet.addRow([...unit, mine?.answered ?? 0, s.label, own?.count ?? 0, own?.share ?? null]).commit();
      }
    });
  }
  sheet.commit();
}
