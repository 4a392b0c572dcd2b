import type { IndexReport } from '../scoring/report-schema.js';

/** The annex's title, as provinces head it; the province's name follows when configured. */
export const ANNEX_TITLE = 'CHỈ SỐ HÀI LÒNG CỦA NGƯỜI DÂN, TỔ CHỨC ĐỐI VỚI SỰ PHỤC VỤ CỦA CƠ QUAN HÀNH CHÍNH NHÀ NƯỚC';

export const annexTitle = (report: IndexReport): string => (report.province ? `${ANNEX_TITLE} ${report.province.toLocaleUpperCase('vi')}` : ANNEX_TITLE);

const vnDate = (day: string | null) => (day ? `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}` : '…');

/** "Đợt khảo sát R1", "Năm 2026", "Quý 4 năm 2026", "Tháng 12/2026", or `null` for a free range. */
function periodLabel(name: string | null): string | null {
  if (name === null) return null;
  const round = /^round-(.+)$/.exec(name);
  if (round) return `Đợt khảo sát ${round[1]}`;
  if (/^\d{4}$/.test(name)) return `Năm ${name}`;
  const quarter = /^(\d{4})-Q(\d)$/.exec(name);
  if (quarter) return `Quý ${quarter[2]} năm ${quarter[1]}`;
  const month = /^(\d{4})-(\d{2})$/.exec(name);
  if (month) return `Tháng ${month[2]}/${month[1]}`;
  return `Kỳ ${name}`;
}

/** The round or period the annex covers, with its days. */
export function annexPeriodLine(report: IndexReport): string {
  const days = `phiếu hoàn thành từ ngày ${vnDate(report.period.from)} đến ngày ${vnDate(report.period.to)}`;
  const label = periodLabel(report.periodName);
  return label ? `${label} (${days})` : days.charAt(0).toUpperCase() + days.slice(1);
}

/** The decision the annex is attached to: number and date left for the province to fill in. */
export const annexDecisionLine = (report: IndexReport): string =>
  `(Kèm theo Quyết định số …/QĐ-UBND ngày … tháng … năm … của Ủy ban nhân dân ${report.province ?? '…'})`;
