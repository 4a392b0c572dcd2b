import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { IndexReport } from '../scoring/report-schema.js';
import { writeMethodologySheet, METHODOLOGY_SHEET } from './xlsx-methodology-sheet.js';
import { writeNodeSheets } from './xlsx-node-sheets.js';
import { writeOptionsSheet, writeUnitOptionsSheet, OPTIONS_SHEET, UNIT_OPTIONS_SHEET } from './xlsx-options-sheet.js';
import { writeAnnexSheet, ANNEX_SHEET } from './xlsx-annex-sheet.js';
import { writeSummarySheet, SUMMARY_SHEET } from './xlsx-summary-sheet.js';

/**
 * Writes the report as an Excel workbook with exceljs' streaming writer (rows are
 * committed as they are written, so memory stays flat), then ends the stream. Sheets:
 * "Phụ lục" (the annex as published, print-ready), "Tổng hợp" (units with intervals),
 * one sheet per field and element with its criteria per unit ("Lĩnh vực …", "Yếu tố …"),
 * "Tỷ lệ lựa chọn" and "Lựa chọn theo đơn vị" (option shares, one question per block)
 * and "Phương pháp" (methodology).
 * Indices are numeric cells in full precision shown with 2 decimals.
 */
export async function writeReportXlsx(report: IndexReport, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'sipas-chat';
  workbook.created = new Date(report.generatedAt);
  const taken = new Set([ANNEX_SHEET, SUMMARY_SHEET, OPTIONS_SHEET, UNIT_OPTIONS_SHEET, METHODOLOGY_SHEET].map((s) => s.toLowerCase()));
  writeAnnexSheet(workbook, report);
  writeSummarySheet(workbook, report);
  writeNodeSheets(workbook, report, taken);
  writeOptionsSheet(workbook, report);
  writeUnitOptionsSheet(workbook, report);
  writeMethodologySheet(workbook, report);
  await workbook.commit();
}
