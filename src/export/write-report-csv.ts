import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { IndexReport } from '../scoring/report-schema.js';
import { annexTable, type AnnexRow, type AnnexRowKind } from './annex-table.js';
import { csvDelimiter, csvPercent, type CsvLocale } from './csv-locale.js';
import { neutralizeFormula } from './safe-text.js';
import { nodeHeader } from './xlsx-summary-sheet.js';

/** Headers of the annex CSV before and after the field/element columns. */
export const ANNEX_CSV_HEAD = ['Phần', 'Loại dòng', 'STT', 'Mã', 'Tên', 'Số phiếu hợp lệ'] as const;
export const ANNEX_CSV_TAIL = ['Chỉ số SIPAS (%)', 'Xếp hạng trong nhóm', 'Ghi chú'] as const;

/** What a row is, in Vietnamese: a unit, a group's total (its section row), the province total. */
export const ANNEX_ROW_KIND: Record<AnnexRowKind, string> = { unit: 'Đơn vị', group: 'Chung của nhóm', province: 'Chung toàn tỉnh' };

/** Unit names and group labels come from uploads: every text cell is made safe for spreadsheets. */
const text = (s: string) => neutralizeFormula(s) as string;

function cells(row: AnnexRow, locale: CsvLocale): string[] {
  const percent = (v: number | null) => (row.withheld ? '' : csvPercent(v, locale));
  const int = (v: number | null) => (v === null || row.withheld ? '' : String(v));
  return [row.section, ANNEX_ROW_KIND[row.kind], row.stt === null ? '' : String(row.stt), text(row.code), text(row.name), int(row.responses), ...row.columns.map(percent), percent(row.index), int(row.rank), row.note];
}

/**
 * Writes the report as the annex table (`format=csv`) and ends the stream: a row per
 * group (its section row, carrying the group's total), its units, then the province
 * total; indices with 2 decimals. `vi`: ";" and decimal comma, `en`: "," and point; both
 * UTF-8 with a BOM. Withheld figures are empty and "Ghi chú" says why.
 */
export async function writeReportCsv(report: IndexReport, out: Writable, locale: CsvLocale = 'en'): Promise<void> {
  const table = annexTable(report);
  const header = [...ANNEX_CSV_HEAD, ...table.columns.map(nodeHeader), ...ANNEX_CSV_TAIL].map(text);
  const rows = function* () {
    for (const row of table.rows) yield cells(row, locale);
  };
  await pipeline(Readable.from(rows()), stringify({ bom: true, header: true, columns: header, delimiter: csvDelimiter(locale) }), out);
}
