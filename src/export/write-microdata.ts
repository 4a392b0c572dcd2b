import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { MicrodataColumn } from './microdata-columns.js';

/** CSV, UTF-8 with BOM (Excel shows Vietnamese correctly), streamed row by row. */
export async function writeMicrodataCsv(columns: MicrodataColumn[], rows: AsyncIterable<(string | number)[]>, out: Writable): Promise<void> {
  out.write('\uFEFF');
  const csv = stringify({ header: true, columns: columns.map((c) => c.header) });
  csv.pipe(out, { end: false });
  for await (const row of rows) {
    if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
  }
  csv.end();
  await new Promise<void>((resolve, reject) => csv.on('end', resolve).on('error', reject));
  out.end();
}

/** XLSX through exceljs' streaming writer: rows are committed as they come. */
export async function writeMicrodataXlsx(columns: MicrodataColumn[], rows: AsyncIterable<(string | number)[]>, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet('Dữ liệu', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(10, Math.min(40, c.header.length + 2)) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  for await (const row of rows) ws.addRow(row).commit();
  ws.commit();
  await wb.commit();
}
