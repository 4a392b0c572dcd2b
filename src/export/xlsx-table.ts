import type ExcelJS from 'exceljs';
import { rowHeight, wrappedLines } from './xlsx-print-layout.js';

export type XlsxColumn = { header: string; width: number; numFmt?: string };

/** Two-decimal display; the stored value keeps full precision. */
export const PERCENT_FORMAT = '0.00';
export const INTEGER_FORMAT = '0';

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };

/** Spreadsheet column letters: 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** Sets the columns and writes the bold, wrapped header row (the sheet is created frozen below it). */
export function writeHeader(sheet: ExcelJS.Worksheet, columns: XlsxColumn[]): void {
  sheet.columns = columns.map((c, i) => ({ key: `c${i}`, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const row = sheet.addRow(columns.map((c) => c.header));
  row.font = { bold: true };
  row.alignment = { wrapText: true, vertical: 'middle' };
  row.eachCell((cell) => (cell.fill = HEADER_FILL));
  // Wrapped text does not grow a row when the file is opened or printed: set its height.
  row.height = rowHeight(Math.max(1, ...columns.map((c) => wrappedLines(c.header, c.width))));
  row.commit();
}

/** Red–yellow–green colour scale over index cells (columns `from`…`to`, rows 2…lastRow). */
export function addIndexColourScale(sheet: ExcelJS.Worksheet, from: number, to: number, lastRow: number): void {
  if (lastRow < 2 || to < from) return;
  sheet.addConditionalFormatting({
    ref: `${columnLetter(from)}2:${columnLetter(to)}${lastRow}`,
    rules: [
      {
        type: 'colorScale',
        priority: 1,
        cfvo: [{ type: 'min' }, { type: 'percentile', value: 50 }, { type: 'max' }],
        color: [{ argb: 'FFF8696B' }, { argb: 'FFFFEB84' }, { argb: 'FF63BE7B' }],
      },
    ],
  });
}

/** A valid, unique worksheet name (≤ 31 characters, none of []:*?/\). */
export function sheetName(wanted: string, taken: Set<string>): string {
  const base = wanted.replace(/[[\]:*?/\\]/g, '-').slice(0, 31);
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base.slice(0, 31 - String(i).length - 1)}~${i}`;
  taken.add(name.toLowerCase());
  return name;
}
