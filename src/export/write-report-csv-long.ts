import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { IndexReport, Interval, ReportNode } from '../scoring/report-schema.js';
import { flattenNodes } from './flatten-nodes.js';
import { csvDelimiter, csvNumber, type CsvLocale } from './csv-locale.js';
import { neutralizeFormula } from './safe-text.js';

/** Long CSV columns: key → Vietnamese header. */
export const CSV_LONG_COLUMNS = {
  scope: 'Phạm vi',
  unitCode: 'Mã đơn vị',
  unitName: 'Đơn vị',
  unitGroup: 'Nhóm đơn vị',
  responses: 'Số phiếu',
  invited: 'Phiếu qua lời mời',
  open: 'Phiếu khảo sát mở',
  flagged: 'Phiếu bị gắn cờ chất lượng',
  nodeKind: 'Cấp',
  nodeCode: 'Mã',
  nodeTitle: 'Nội dung',
  index: 'Chỉ số (%)',
  n: 'Số trả lời hợp lệ',
  ciLow: 'Cận dưới 95% (%)',
  ciHigh: 'Cận trên 95% (%)',
  rank: 'Xếp hạng',
  lowSample: 'Dưới cỡ mẫu tối thiểu',
  suppressed: 'Ẩn chi tiết',
  c1: 'Mức 1',
  c2: 'Mức 2',
  c3: 'Mức 3',
  c4: 'Mức 4',
  c5: 'Mức 5',
  na: 'Không áp dụng',
} as const;

type CsvRow = Partial<Record<keyof typeof CSV_LONG_COLUMNS, string | number | null>>;
type Scope = { scope: 'overall' | 'unit'; code: string; name: string; group: string; responses: number | null; bySource: { invited: number; open: number } | null; flagged: number | null; index: number | null; ci: Interval | null; rank: number | null; lowSample: boolean; suppressed: boolean; nodes: ReportNode[] };

const yesNo = (b: boolean) => (b ? 'có' : 'không');

/** Unit names and groups come from uploads: every text cell is made safe for spreadsheets. */
const text = (s: string) => neutralizeFormula(s) as string;

function* scopeRows(s: Scope, locale: CsvLocale): Generator<CsvRow> {
  const num = (v: number | null) => csvNumber(v, locale);
  const head = { scope: s.scope, unitCode: text(s.code), unitName: text(s.name), unitGroup: text(s.group), responses: s.responses, invited: s.bySource?.invited ?? null, open: s.bySource?.open ?? null, flagged: s.flagged, lowSample: yesNo(s.lowSample), suppressed: yesNo(s.suppressed) };
  yield { ...head, nodeKind: 'total', nodeCode: '', nodeTitle: 'Chỉ số chung', index: num(s.index), ciLow: num(s.ci?.low ?? null), ciHigh: num(s.ci?.high ?? null), rank: s.rank };
  for (const node of flattenNodes(s.nodes)) {
    yield {
      ...head,
      nodeKind: node.kind,
      nodeCode: node.code,
      nodeTitle: text(node.title),
      index: num(node.index),
      n: node.n ?? null,
      ciLow: num(node.ci?.low ?? null),
      ciHigh: num(node.ci?.high ?? null),
      rank: s.rank,
      ...(node.counts ? { c1: node.counts['1'], c2: node.counts['2'], c3: node.counts['3'], c4: node.counts['4'], c5: node.counts['5'], na: node.counts.na } : {}),
    };
  }
}

function* reportRows(report: IndexReport, locale: CsvLocale): Generator<CsvRow> {
  yield* scopeRows({ ...report.overall, scope: 'overall', code: '', name: 'Tổng hợp chung', group: report.group ?? '', rank: null }, locale);
  for (const u of report.units) yield* scopeRows({ ...u, scope: 'unit' }, locale);
}

/**
 * Writes the report as the long CSV (`format=csv-long`; UTF-8 with BOM so Excel shows
 * Vietnamese), then ends the stream: one row per scope × node, overall rows first ("overall", empty unit code), then
 * each unit. Per scope a "total" row carries its overall index, followed by its fields,
 * elements and criteria depth-first. Numbers are written in full precision with the
 * locale's separators (`csv-locale.ts`); empty cells mean `null` (no valid answer, or withheld).
 */
export async function writeReportCsvLong(report: IndexReport, out: Writable, locale: CsvLocale = 'en'): Promise<void> {
  const stringifier = stringify({ bom: true, header: true, delimiter: csvDelimiter(locale), columns: Object.entries(CSV_LONG_COLUMNS).map(([key, header]) => ({ key, header })) });
  await pipeline(Readable.from(reportRows(report, locale)), stringifier, out);
}
