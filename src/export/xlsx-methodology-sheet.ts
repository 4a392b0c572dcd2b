import type ExcelJS from 'exceljs';
import type { LevelRule } from '../questionnaire/definition-schema.js';
import type { IndexReport, ReportMethod } from '../scoring/report-schema.js';
import { writeHeader } from './xlsx-table.js';
import { a4LandscapePageSetup } from './xlsx-print-layout.js';

export const METHODOLOGY_SHEET = 'Phương pháp';

const hcmTime = (iso: string) =>
  new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));

const MODE_TEXT: Record<ReportMethod['mode'], string> = {
  'moha-comparable': 'So sánh được với số liệu của Bộ Nội vụ: hỏi như phiếu quốc gia (không có phương án "Không có ý kiến" ở các tiêu chí, mọi tiêu chí hỏi mọi người trả lời).',
  variant: 'Phiếu riêng của địa phương (có phương án "Không có ý kiến" hoặc câu lọc ở một số tiêu chí): không so sánh trực tiếp với số liệu của Bộ Nội vụ.',
};
const TOTALS_TEXT: Record<ReportMethod['totals'], string> = {
  mean_of_units: 'Trung bình cộng chỉ số của các đơn vị được công bố trong báo cáo (mỗi đơn vị một phiếu bầu, như "SIPAS trung bình" các tỉnh công bố); số phiếu là tổng số phiếu.',
  pooled: 'Tính từ tổng số câu trả lời của mọi đơn vị trong báo cáo (gộp chung người trả lời, không phải trung bình chỉ số các đơn vị).',
};
const EVIDENCE_TEXT: Record<LevelRule['evidence'], string> = {
  official_text: 'theo văn bản chính thức',
  published_figures: 'khớp số liệu đã công bố',
  our_reading: 'cách hiểu của nhóm phát triển, chưa có văn bản xác nhận',
};
const ruleText = (r: LevelRule, children: string, criteria: string) =>
  `= trung bình cộng (không trọng số) chỉ số ${r.rule === 'mean_of_criteria' ? criteria : children} (${EVIDENCE_TEXT[r.evidence]}). ${r.basis}`;

const SOURCE_TEXT = { all: 'Phiếu qua lời mời và phiếu khảo sát mở', invited: 'Chỉ phiếu qua lời mời', open: 'Chỉ phiếu khảo sát mở' } as const;
const TEST_TEXT = { exclude: '; không tính dữ liệu thử nghiệm', include: '; kể cả dữ liệu thử nghiệm', only: '; CHỈ dữ liệu thử nghiệm (không phải kết quả khảo sát)' } as const;

/** The methodology sheet: questionnaire, period, mode, formulas and their evidence, totals, intervals, ranking, small-cell rule. */
export function writeMethodologySheet(workbook: ExcelJS.Workbook, report: IndexReport): void {
  const sheet = workbook.addWorksheet(METHODOLOGY_SHEET, { views: [{ state: 'frozen', ySplit: 1 }], pageSetup: a4LandscapePageSetup('1:1') });
  writeHeader(sheet, [
    { header: 'Mục', width: 30 },
    { header: 'Nội dung', width: 110 },
  ]);
  const { questionnaire: q, period } = report;
  const twoFields = report.overall.nodes.some((n) => n.kind === 'field');
  const rows: [string, string | number][] = [
    ['Bộ câu hỏi', `${q.title} (mã ${q.code}, phiên bản ${q.version})`],
    ...(q.basis ? ([['Căn cứ', q.basis]] as [string, string][]) : []),
    ['Kỳ báo cáo', `${report.periodName ? `Kỳ ${report.periodName}: p` : 'P'}hiếu hoàn thành từ ngày ${period.from ?? '(không giới hạn)'} đến ngày ${period.to ?? '(không giới hạn)'} (theo giờ Việt Nam)`],
    ['Nhóm đơn vị', report.group ?? 'Tất cả các nhóm'],
    ['Thời điểm lập báo cáo', `${hcmTime(report.generatedAt)} (giờ Việt Nam; ${report.generatedAt})`],
    ['Tổng số phiếu', report.overall.responses ?? 'Ẩn (dưới cỡ mẫu tối thiểu)'],
    ['Phiếu được tính', SOURCE_TEXT[report.filters.source] + (report.filters.quality === 'exclude_flagged' ? '; không tính phiếu bị gắn cờ chất lượng' : '; kể cả phiếu bị gắn cờ chất lượng') + TEST_TEXT[report.filters.test ?? 'exclude']],
    ...(report.excluded ? ([['Phiếu không tính', `${report.excluded.flagged} phiếu bị gắn cờ chất lượng, ${report.excluded.otherSource} phiếu từ nguồn khác`]] as [string, string][]) : []),
    ['Cờ chất lượng', 'Một phiếu bị gắn cờ khi: hoàn thành nhanh hơn mức tối thiểu cho mỗi câu; trả lời cùng một mức cho mọi tiêu chí; hoặc thuộc số phiếu vượt ngưỡng trong ngày từ lời mời của cùng một cán bộ cho đơn vị của mình.'],
    ['Một người một phiếu', 'Khảo sát mở (mã QR của đơn vị): mỗi người chỉ có một phiếu được tính cho mỗi đơn vị trong mỗi năm; lời mời chỉ dùng được một lần.'],
    ['Cỡ mẫu tối thiểu', report.minCell],
    ['Chỉ số tiêu chí', '= 100 × (số câu trả lời mức 4 "Hài lòng" và mức 5 "Rất hài lòng") / (số câu trả lời hợp lệ mức 1–5). Câu trả lời "Không có ý kiến / Không áp dụng" không tính vào mẫu số.'],
    ['Cách hỏi', MODE_TEXT[report.method.mode]],
    ['Chỉ số yếu tố', '= trung bình cộng (không trọng số) chỉ số các tiêu chí của yếu tố.'],
    ...(twoFields ? ([['Chỉ số lĩnh vực', ruleText(report.method.aggregation.field, 'các yếu tố của lĩnh vực', 'các tiêu chí của lĩnh vực')]] as [string, string][]) : []),
    ['Chỉ số chung', ruleText(report.method.aggregation.overall, twoFields ? 'các lĩnh vực' : 'các yếu tố', 'tất cả các tiêu chí')],
    ['Giá trị trống', 'Tiêu chí không có câu trả lời hợp lệ để trống và không tính vào trung bình của cấp trên; cấp trên để trống khi mọi thành phần đều trống.'],
    ['Số liệu chung (nhóm, toàn tỉnh)', TOTALS_TEXT[report.method.totals]],
    ['Khoảng tin cậy 95%', 'Tiêu chí: khoảng Wilson. Yếu tố, lĩnh vực, chỉ số chung: xấp xỉ chuẩn (phương pháp delta), coi chỉ số các thành phần là độc lập: phương sai của trung bình = tổng phương sai thành phần / k²; sai số chuẩn của mỗi tiêu chí = nửa độ rộng khoảng Wilson / 1,96; giới hạn trong [0, 100]. Do các tiêu chí của cùng người trả lời thường tương quan dương, khoảng này có thể hẹp hơn thực tế.'],
    ['Xếp hạng', `Theo chỉ số chung, trong từng nhóm đơn vị; ${report.method.rankOn === 'shown' ? 'so sánh chỉ số đã làm tròn 2 chữ số thập phân như khi công bố (hai đơn vị cùng hiển thị 90,29 cùng hạng)' : 'so sánh chỉ số với độ chính xác đầy đủ'}; các đơn vị bằng điểm cùng hạng (1, 2, 2, 4); đơn vị không có chỉ số không xếp hạng.`],
    ['Phần do sản phẩm bổ sung', 'Khoảng tin cậy và việc ẩn số liệu của ô có ít phiếu không thuộc phương pháp chính thức của Bộ Nội vụ; sản phẩm bổ sung để người đọc biết độ chắc chắn của số liệu và để bảo vệ danh tính người trả lời.'],
    ['Bảo vệ danh tính', `Ô (đơn vị, nhóm đơn vị, toàn bộ) có dưới ${report.minCell} phiếu được ẩn toàn bộ (chỉ số, số phiếu, tỷ lệ lựa chọn). Trong mỗi nhóm và ở cấp toàn bộ, nếu phần bị ẩn có từ 1 đến ${report.minCell - 1} phiếu, ô nhỏ nhất tiếp theo cũng bị ẩn, để không thể suy ra số liệu bằng phép trừ; việc ẩn được quyết định trên toàn bộ các nhóm nên báo cáo của một nhóm ẩn đúng các ô như báo cáo chung. Người xem chỉ nhận báo cáo theo các kỳ trọn vẹn đã kết thúc, không chồng lấn nhau.`],
    ['Làm tròn', 'Tính với độ chính xác đầy đủ; chỉ hiển thị 2 chữ số thập phân.'],
    ['Tỷ lệ lựa chọn', '= 100 × số lượt chọn phương án / số người trả lời câu hỏi; câu hỏi nhiều lựa chọn có tổng tỷ lệ có thể vượt 100%.'],
  ];
  for (const r of rows) {
    const row = sheet.addRow(r);
    row.alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  sheet.commit();
}
