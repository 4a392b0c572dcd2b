import type ExcelJS from 'exceljs';
import type { IndexReport, ReportNode } from '../scoring/report-schema.js';
import { flattenNodes } from './flatten-nodes.js';
import { OVERALL_LABEL, nodeHeader } from './xlsx-summary-sheet.js';
import { INTEGER_FORMAT, PERCENT_FORMAT, addIndexColourScale, sheetName, writeHeader } from './xlsx-table.js';
import { a4LandscapePageSetup } from './xlsx-print-layout.js';

const SHEET_PREFIX = { field: 'Lĩnh vực', element: 'Yếu tố', criterion: 'Tiêu chí' } as const;

/** The worksheet name of a field or element sheet, e.g. "Yếu tố 1". */
export const nodeSheetTitle = (node: ReportNode): string => `${SHEET_PREFIX[node.kind]} ${node.code}`;

/**
 * One sheet per field and per element: a row per unit (then the overall row) with the
 * node's index and its children's indices (elements of a field, criteria of an element).
 */
export function writeNodeSheets(workbook: ExcelJS.Workbook, report: IndexReport, taken: Set<string>): void {
  const parents = flattenNodes(report.overall.nodes).filter((n) => n.kind !== 'criterion');
  for (const parent of parents) {
    const children = parent.children ?? [];
    const sheet = workbook.addWorksheet(sheetName(nodeSheetTitle(parent), taken), { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }], pageSetup: a4LandscapePageSetup('1:1') });
    writeHeader(sheet, [
      { header: 'STT', width: 6, numFmt: INTEGER_FORMAT },
      { header: 'Mã đơn vị', width: 12 },
      { header: 'Đơn vị', width: 36 },
      { header: 'Nhóm đơn vị', width: 16 },
      { header: 'Số phiếu', width: 10, numFmt: INTEGER_FORMAT },
      { header: nodeHeader(parent), width: 18, numFmt: PERCENT_FORMAT },
      ...children.map((c) => ({ header: nodeHeader(c), width: 18, numFmt: PERCENT_FORMAT })),
    ]);
    const row = (stt: number | null, code: string, name: string, group: string, responses: number | null, nodes: ReportNode[]) => {
      const byCode = new Map(flattenNodes(nodes).map((n) => [n.code, n.index]));
      sheet.addRow([stt, code, name, group, responses, byCode.get(parent.code) ?? null, ...children.map((c) => byCode.get(c.code) ?? null)]).commit();
    };
    report.units.forEach((u, i) => row(i + 1, u.code, u.name, u.group, u.responses, u.nodes));
    row(null, '', OVERALL_LABEL, report.group ?? '', report.overall.responses, report.overall.nodes);
    addIndexColourScale(sheet, 6, 6 + children.length, report.units.length + 1);
    sheet.commit();
  }
}
