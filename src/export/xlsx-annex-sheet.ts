import type ExcelJS from 'exceljs';
import type { IndexReport } from '../scoring/report-schema.js';
import { annexTable, type AnnexRow } from './annex-table.js';
import { annexDecisionLine, annexPeriodLine, annexTitle } from './annex-titles.js';
import { nodeHeader } from './xlsx-summary-sheet.js';
import { INTEGER_FORMAT, PERCENT_FORMAT, columnLetter } from './xlsx-table.js';
import { PRINT_FONT, THIN_BORDER, a4LandscapePageSetup, rowHeight, wrappedLines } from './xlsx-print-layout.js';

export const ANNEX_SHEET = 'Phụ lục';
/** Title, period, decision, a blank line, then the table header (repeated on every printed page). */
export const ANNEX_HEADER_ROW = 5;
/** Shown instead of a withheld figure; "Ghi chú" says why. */
export const WITHHELD_MARK = '—';

type Column = { header: string; width: number; numFmt?: string };
const SECTION_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };

/**
 * The annex as provinces publish it (first sheet): title rows, the header (STT, Tên đơn vị,
 * Số phiếu hợp lệ, fields and elements, Chỉ số SIPAS (%), Xếp hạng), a section per unit
 * group ("I. <label>" with the group's total), its units ranked within it, and the province
 * total. Printed A4 landscape, one page wide, header repeated; Times New Roman; indices
 * are numbers shown with 2 decimals.
 */
export function writeAnnexSheet(workbook: ExcelJS.Workbook, report: IndexReport): void {
  const table = annexTable(report);
  const withNote = table.rows.some((r) => r.note !== '');
  const columns: Column[] = [
    { header: 'STT', width: 6, numFmt: INTEGER_FORMAT },
    { header: 'Tên đơn vị', width: 40 },
    { header: 'Số phiếu hợp lệ', width: 10, numFmt: INTEGER_FORMAT },
    ...table.columns.map((n) => ({ header: nodeHeader(n), width: 14, numFmt: PERCENT_FORMAT })),
    { header: 'Chỉ số SIPAS (%)', width: 11, numFmt: PERCENT_FORMAT },
    { header: 'Xếp hạng', width: 9, numFmt: INTEGER_FORMAT },
    ...(withNote ? [{ header: 'Ghi chú', width: 26 }] : []),
  ];
  const last = columnLetter(columns.length);
  const totalWidth = columns.reduce((sum, c) => sum + c.width, 0);
  const sheet = workbook.addWorksheet(ANNEX_SHEET, {
    views: [{ state: 'frozen', ySplit: ANNEX_HEADER_ROW }],
    pageSetup: a4LandscapePageSetup(`${ANNEX_HEADER_ROW}:${ANNEX_HEADER_ROW}`),
    headerFooter: { oddFooter: '&C&"Times New Roman"Trang &P/&N' },
  });
  sheet.columns = columns.map((c) => ({ width: c.width, style: { font: { name: PRINT_FONT, size: 11 } } }));

  const title = (n: number, text: string, size: number, font: Partial<ExcelJS.Font>) => {
    sheet.mergeCells(`A${n}:${last}${n}`);
    const row = sheet.getRow(n);
    const cell = row.getCell(1);
    cell.value = text;
    cell.font = { name: PRINT_FONT, size, ...font };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    row.height = rowHeight(wrappedLines(text, totalWidth, size), size);
    row.commit();
  };
  title(1, annexTitle(report), 14, { bold: true });
  title(2, annexPeriodLine(report), 12, { bold: true });
  title(3, annexDecisionLine(report), 12, { italic: true });
  sheet.getRow(4).height = 8;
  sheet.getRow(4).commit();

  const header = sheet.getRow(ANNEX_HEADER_ROW);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { name: PRINT_FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = THIN_BORDER;
  });
  header.height = rowHeight(Math.max(...columns.map((c) => wrappedLines(c.header, c.width))));
  header.commit();

  let n = ANNEX_HEADER_ROW;
  for (const r of table.rows) writeRow(sheet, ++n, r, columns, withNote);
  sheet.commit();
}

function writeRow(sheet: ExcelJS.Worksheet, n: number, r: AnnexRow, columns: Column[], withNote: boolean): void {
  const total = r.kind !== 'unit';
  const name = r.kind === 'group' ? `${r.section}. ${r.name}` : r.name;
  const figure = (v: number | null) => (r.withheld ? WITHHELD_MARK : v);
  const values = [
    total ? name : r.stt,
    total ? null : name,
    r.withheld ? WITHHELD_MARK : r.responses,
    ...r.columns.map(figure),
    figure(r.index),
    r.withheld ? null : r.rank,
    ...(withNote ? [r.note || null] : []),
  ];
  if (total) sheet.mergeCells(n, 1, n, 2);
  const row = sheet.getRow(n);
  values.forEach((value, i) => {
    const cell = row.getCell(i + 1);
    // On a total row the name spans STT and "Tên đơn vị" (merged): B is part of A.
    if (!(total && i === 1)) cell.value = value ?? null;
    const numeric = columns[i]!.numFmt !== undefined && !(total && i === 0);
    cell.font = { name: PRINT_FONT, size: 11, bold: total };
    cell.border = THIN_BORDER;
    cell.alignment = { vertical: 'middle', wrapText: true, horizontal: numeric ? (i === 0 ? 'center' : 'right') : 'left' };
    if (value === WITHHELD_MARK) cell.alignment = { ...cell.alignment, horizontal: 'center' };
    if (numeric && typeof value === 'number') cell.numFmt = columns[i]!.numFmt!;
    if (r.kind === 'group') cell.fill = SECTION_FILL;
  });
  const nameWidth = total ? columns[0]!.width + columns[1]!.width : columns[1]!.width;
  const lines = Math.max(wrappedLines(name, nameWidth), withNote && r.note ? wrappedLines(r.note, columns.at(-1)!.width) : 1);
  row.height = rowHeight(lines);
  row.commit();
}
