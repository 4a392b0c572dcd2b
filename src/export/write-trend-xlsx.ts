import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { IndexChange, TrendReport, TrendSide } from '../scoring/trend-schema.js';
import { INTEGER_FORMAT, PERCENT_FORMAT, writeHeader, type XlsxColumn } from './xlsx-table.js';

export const TREND_SHEET = 'Xu hướng';
export const TREND_NODES_SHEET = 'Theo tiêu chí';
export const TREND_NOTES_SHEET = 'Ghi chú';
const CHANGE_FORMAT = '+0.00;-0.00;0.00';
const KIND_LABEL = { field: 'Lĩnh vực', element: 'Yếu tố', criterion: 'Tiêu chí' } as const;

/** "Đợt R2026" for a round, "Kỳ 2025" for a named period. */
export const sideLabel = (s: TrendSide): string => (s.name.startsWith('round-') ? `Đợt ${s.name.slice('round-'.length)}` : `Kỳ ${s.name}`);

const yesNo = (c: IndexChange) => (c.significant === null ? null : c.significant ? 'Có' : 'Không');
const changeCells = (c: IndexChange) => [c.a, c.b, c.change, yesNo(c)];
const WITHHELD_NOTE = 'Ẩn số liệu ở ít nhất một kỳ (ít phiếu): không so sánh';

/**
 * The trend as a workbook (exceljs' streaming writer): "Xu hướng" (one row per unit, then
 * the group and overall totals: both indices, the change in points, whether it is larger
 * than its uncertainty, ranks and the rank change), "Theo tiêu chí" (every shared node of
 * every unit and total) and "Ghi chú" (the method and the nodes left out). Indices are
 * numbers in full precision shown with 2 decimals.
 */
export async function writeTrendXlsx(trend: TrendReport, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'sipas-chat';
  workbook.created = new Date(trend.generatedAt);
  const [a, b] = [sideLabel(trend.a), sideLabel(trend.b)];
  const labelOf = new Map(trend.groups.map((g) => [g.group, g.label]));

  const main = workbook.addWorksheet(TREND_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }] });
  const mainColumns: XlsxColumn[] = [
    { header: 'STT', width: 6, numFmt: INTEGER_FORMAT },
    { header: 'Mã đơn vị', width: 12 },
    { header: 'Đơn vị', width: 36 },
    { header: 'Nhóm đơn vị', width: 20 },
    { header: `Chỉ số ${a} (%)`, width: 12, numFmt: PERCENT_FORMAT },
    { header: `Chỉ số ${b} (%)`, width: 12, numFmt: PERCENT_FORMAT },
    { header: 'Thay đổi (điểm)', width: 11, numFmt: CHANGE_FORMAT },
    { header: 'Có ý nghĩa thống kê (95%)', width: 13 },
    { header: `Hạng ${a}`, width: 9, numFmt: INTEGER_FORMAT },
    { header: `Hạng ${b}`, width: 9, numFmt: INTEGER_FORMAT },
    { header: 'Thay đổi hạng', width: 9, numFmt: '+0;-0;0' },
    { header: 'Ghi chú', width: 40 },
  ];
  writeHeader(main, mainColumns);
  trend.units.forEach((u, i) => {
    main.addRow([i + 1, u.code, u.name, labelOf.get(u.group) ?? u.group, ...changeCells(u.overall), u.rank.a, u.rank.b, u.rank.change, u.suppressed ? WITHHELD_NOTE : '']).commit();
  });
  for (const g of trend.groups) main.addRow([null, '', `Nhóm: ${g.label}`, g.label, ...changeCells(g.overall), null, null, null, g.suppressed ? WITHHELD_NOTE : '']).commit();
  main.addRow([null, '', 'Tổng hợp chung', '', ...changeCells(trend.overall.overall), null, null, null, trend.overall.suppressed ? WITHHELD_NOTE : '']).commit();
  main.commit();

  const nodes = workbook.addWorksheet(TREND_NODES_SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  writeHeader(nodes, [
    { header: 'Mã đơn vị', width: 12 },
    { header: 'Đơn vị', width: 32 },
    { header: 'Nhóm đơn vị', width: 18 },
    { header: 'Cấp', width: 10 },
    { header: 'Mã', width: 8 },
    { header: 'Nội dung', width: 48 },
    { header: `Chỉ số ${a} (%)`, width: 12, numFmt: PERCENT_FORMAT },
    { header: `Chỉ số ${b} (%)`, width: 12, numFmt: PERCENT_FORMAT },
    { header: 'Thay đổi (điểm)', width: 11, numFmt: CHANGE_FORMAT },
    { header: 'Có ý nghĩa thống kê (95%)', width: 13 },
  ]);
  const scopeRows = (code: string, name: string, group: string, s: TrendReport['overall']) => {
    s.nodes.forEach((n, i) => {
      const node = trend.nodes[i]!;
      nodes.addRow([code, name, group, KIND_LABEL[node.kind], n.code, node.title, ...changeCells(n)]).commit();
    });
  };
  for (const u of trend.units) scopeRows(u.code, u.name, labelOf.get(u.group) ?? u.group, u);
  for (const g of trend.groups) scopeRows('', `Nhóm: ${g.label}`, g.label, g);
  scopeRows('', 'Tổng hợp chung', '', trend.overall);
  nodes.commit();

  const notes = workbook.addWorksheet(TREND_NOTES_SHEET);
  notes.columns = [{ width: 120 }];
  const line = (text: string) => notes.addRow([text]).commit();
  line(`So sánh ${a} (${trend.a.from ?? '…'} – ${trend.a.to ?? '…'}, ${trend.a.questionnaire.code} phiên bản ${trend.a.questionnaire.version}) với ${b} (${trend.b.from ?? '…'} – ${trend.b.to ?? '…'}, ${trend.b.questionnaire.code} phiên bản ${trend.b.questionnaire.version}).`);
  line('Thay đổi = chỉ số kỳ sau − chỉ số kỳ trước, tính bằng điểm phần trăm. Thay đổi hạng dương: đơn vị tăng hạng trong nhóm.');
  line('Tiêu chí của từng đơn vị: kiểm định z hai tỷ lệ (tỷ lệ hài lòng mức 4–5), mức ý nghĩa 5%.');
  line('Yếu tố, lĩnh vực, chỉ số chung và số liệu chung của nhóm: khoảng tin cậy 95% của hiệu số, từ sai số chuẩn của hai kỳ; «Có» khi khoảng này không chứa 0.');
  line(`Ô bị ẩn ở một trong hai kỳ (dưới ${trend.minCell} phiếu, hoặc ẩn bổ sung) không được so sánh.`);
  if (trend.instrumentChanged) line('Hai kỳ dùng hai phiên bản bộ câu hỏi khác nhau: chỉ so sánh các thành phần có cùng mã; chỉ số chung của mỗi kỳ tính theo bộ câu hỏi của kỳ đó.');
  for (const n of trend.leftOut) line(`Không so sánh (chỉ có ở ${n.onlyIn === 'a' ? a : b}): ${KIND_LABEL[n.kind]} ${n.code} – ${n.title}`);
  notes.commit();
  await workbook.commit();
}
