import type ExcelJS from 'exceljs';
import type { IndexReport, ReportNode, UnitReport } from '../scoring/report-schema.js';
import { flattenNodes } from './flatten-nodes.js';
import { INTEGER_FORMAT, PERCENT_FORMAT, addIndexColourScale, writeHeader, type XlsxColumn } from './xlsx-table.js';
import { a4LandscapePageSetup } from './xlsx-print-layout.js';

export const SUMMARY_SHEET = 'Tổng hợp';
export const OVERALL_LABEL = 'Tổng hợp chung';
const KIND_LABEL = { field: 'Lĩnh vực', element: 'Yếu tố', criterion: 'Tiêu chí' } as const;

/** Column header of a node's index: "Yếu tố 1: Tiếp cận dịch vụ (%)". */
export const nodeHeader = (node: ReportNode): string => `${KIND_LABEL[node.kind]} ${node.code}: ${node.title} (%)`;

/** Why a unit's figures are blank, in Vietnamese. */
export function suppressionNote(unit: Pick<UnitReport, 'lowSample' | 'suppressed'>, minCell: number): string {
  if (unit.lowSample) return `Dưới ${minCell} phiếu: ẩn số liệu để bảo vệ danh tính người trả lời`;
  if (unit.suppressed) return 'Ẩn bổ sung để không suy ra được số liệu của đơn vị ít phiếu';
  return '';
}

/**
 * Summary sheet ranking units: STT, unit, responses, overall index with its 95% interval,
 * rank, then one column per field (two-field instruments) and per element; the overall
 * row last. Index cells are numbers shown with 2 decimals and coloured by a colour scale.
 */
export function writeSummarySheet(workbook: ExcelJS.Workbook, report: IndexReport): void {
  const sheet = workbook.addWorksheet(SUMMARY_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }], pageSetup: a4LandscapePageSetup('1:1') });
  const breakdown = flattenNodes(report.overall.nodes).filter((n) => n.kind !== 'criterion');
  const columns: XlsxColumn[] = [
    { header: 'STT', width: 6, numFmt: INTEGER_FORMAT },
    { header: 'Mã đơn vị', width: 12 },
    { header: 'Đơn vị', width: 36 },
    { header: 'Nhóm đơn vị', width: 16 },
    { header: 'Số phiếu', width: 10, numFmt: INTEGER_FORMAT },
    { header: 'Chỉ số %', width: 11, numFmt: PERCENT_FORMAT },
    { header: 'Cận dưới 95%', width: 11, numFmt: PERCENT_FORMAT },
    { header: 'Cận trên 95%', width: 11, numFmt: PERCENT_FORMAT },
    { header: 'Xếp hạng', width: 9, numFmt: INTEGER_FORMAT },
    ...breakdown.map((n) => ({ header: nodeHeader(n), width: 16, numFmt: PERCENT_FORMAT })),
    { header: 'Ghi chú', width: 40 },
  ];
  writeHeader(sheet, columns);
  const row = (stt: number | null, code: string, name: string, group: string, s: UnitReport | IndexReport['overall'], rank: number | null, note: string) => {
    const byCode = new Map(flattenNodes(s.nodes).map((n) => [n.code, n.index]));
    sheet.addRow([stt, code, name, group, s.responses, s.index, s.ci?.low ?? null, s.ci?.high ?? null, rank, ...breakdown.map((n) => byCode.get(n.code) ?? null), note]).commit();
  };
  report.units.forEach((u, i) => row(i + 1, u.code, u.name, u.group, u, u.rank, suppressionNote(u, report.minCell)));
  row(null, '', OVERALL_LABEL, report.group ?? '', report.overall, null, report.overall.suppressed ? suppressionNote(report.overall, report.minCell) : '');
  addIndexColourScale(sheet, 6, 6, report.units.length + 1);
  addIndexColourScale(sheet, 10, 9 + breakdown.length, report.units.length + 1);
  sheet.commit();
}
