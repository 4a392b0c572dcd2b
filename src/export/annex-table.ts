import type { IndexReport, ReportNode } from '../scoring/report-schema.js';
import { flattenNodes } from './flatten-nodes.js';
import { suppressionNote } from './xlsx-summary-sheet.js';

/**
 * The annex table as provinces publish it, shared by the CSV and the workbook's first
 * sheet: a section per unit group (in the groups' `order`), its total on the section row,
 * its units numbered from 1 and ranked within the section, then the province total.
 */

export type AnnexRowKind = 'group' | 'unit' | 'province';

export type AnnexRow = {
  kind: AnnexRowKind;
  /** Roman numeral of the section ("I", "II", …); empty on the province row. */
  section: string;
  /** Position within the section (units only). */
  stt: number | null;
  /** Unit code, group code, or empty for the province. */
  code: string;
  /** Unit name, group label, or the province total's label. */
  name: string;
  responses: number | null;
  /** Index of each annex column (`AnnexTable.columns`), in full precision. */
  columns: (number | null)[];
  index: number | null;
  /** Rank within the section (units only). */
  rank: number | null;
  /** Withheld: no figures are shown, `note` says why. */
  withheld: boolean;
  note: string;
};

/** `columns`: fields (two-field instruments) and elements, depth-first. */
export type AnnexTable = { columns: ReportNode[]; rows: AnnexRow[] };

const TOTAL_RULE_TEXT = { mean_of_units: 'trung bình các đơn vị', pooled: 'tính gộp mọi phiếu' } as const;

/** The province total row's label, naming the total rule ("Chỉ số chung tỉnh Quảng Nam (trung bình các đơn vị)"). */
export const provinceTotalLabel = (report: IndexReport): string =>
  `Chỉ số chung${report.province ? ` ${report.province}` : ''} (${TOTAL_RULE_TEXT[report.method.totals]})`;

export function annexTable(report: IndexReport): AnnexTable {
  const columns = flattenNodes(report.overall.nodes).filter((n) => n.kind !== 'criterion');
  const indices = (nodes: ReportNode[]) => {
    const byCode = new Map(flattenNodes(nodes).map((n) => [n.code, n.index]));
    return columns.map((c) => byCode.get(c.code) ?? null);
  };
  const rows: AnnexRow[] = [];
  for (const g of report.groups) {
    rows.push({ kind: 'group', section: g.section, stt: null, code: g.group, name: g.label, responses: g.responses, columns: indices(g.nodes), index: g.index, rank: null, withheld: g.suppressed, note: suppressionNote(g, report.minCell) });
    report.units
      .filter((u) => u.group === g.group)
      .forEach((u, i) =>
        rows.push({ kind: 'unit', section: g.section, stt: i + 1, code: u.code, name: u.name, responses: u.responses, columns: indices(u.nodes), index: u.index, rank: u.rank, withheld: u.suppressed, note: suppressionNote(u, report.minCell) }),
      );
  }
  // A report limited to one group: its overall block is that group's cell, already on the section row.
  if (report.group === null) {
    const o = report.overall;
    rows.push({ kind: 'province', section: '', stt: null, code: '', name: provinceTotalLabel(report), responses: o.responses, columns: indices(o.nodes), index: o.index, rank: null, withheld: o.suppressed, note: suppressionNote(o, report.minCell) });
  }
  return { columns, rows };
}
