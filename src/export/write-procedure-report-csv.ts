import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { ProcedureReport } from '../scoring/procedure-report-schema.js';
import { csvDelimiter, csvPercent, type CsvLocale } from './csv-locale.js';
import { flattenNodes } from './flatten-nodes.js';
import { neutralizeFormula } from './safe-text.js';
import { nodeHeader, suppressionNote } from './xlsx-summary-sheet.js';

/** Procedure names and fields come from an upload: every text cell is made safe for spreadsheets. */
const text = (s: string | null) => neutralizeFormula(s ?? '') as string;

type Cell = Pick<ProcedureReport['total'], 'responses' | 'index' | 'ci' | 'nodes' | 'lowSample' | 'suppressed'>;

/**
 * Writes the per-procedure breakdown as one row per procedure (or field), then the scope's
 * total: responses, index and its 95% interval, field and element indices, 2 decimals,
 * Vietnamese headers; `vi` with ";" and decimal comma, `en` with "," and point, UTF-8 BOM.
 */
export async function writeProcedureReportCsv(report: ProcedureReport, out: Writable, locale: CsvLocale = 'en'): Promise<void> {
  const columns = flattenNodes(report.total.nodes).filter((n) => n.kind !== 'criterion');
  const byField = report.by === 'field';
  const header = [
    'STT', byField ? 'Lĩnh vực' : 'Mã thủ tục', byField ? 'Tên lĩnh vực' : 'Tên thủ tục', 'Lĩnh vực', 'Số phiếu hợp lệ', 'Chỉ số SIPAS (%)',
    'Cận dưới 95% (%)', 'Cận trên 95% (%)', ...columns.map(nodeHeader), 'Ghi chú',
  ].map(text);
  const percent = (v: number | null | undefined) => csvPercent(v ?? null, locale);
  const line = (stt: string, code: string | null, name: string, field: string | null, c: Cell) => {
    const byCode = new Map(flattenNodes(c.nodes).map((n) => [n.code, n.index]));
    return [stt, text(code), text(name), text(field), c.responses === null ? '' : String(c.responses), percent(c.index), percent(c.ci?.low), percent(c.ci?.high), ...columns.map((n) => percent(byCode.get(n.code))), suppressionNote(c, report.minCell)];
  };
  const rows = function* () {
    let stt = 0;
    for (const r of report.rows) yield line(String(++stt), r.code, r.name, r.field, r);
    yield line('', null, report.unit ? `Chung: ${report.unit.name}` : 'Chung toàn tỉnh', null, report.total);
  };
  await pipeline(Readable.from(rows()), stringify({ bom: true, header: true, columns: header, delimiter: csvDelimiter(locale) }), out);
}
