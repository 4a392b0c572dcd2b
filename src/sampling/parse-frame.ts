import { AppError } from '../core/app-error.js';
import { readCsvTable } from '../core/read-csv-table.js';
import { FRAME_CSV_HEADERS, frameRowSchema, type FrameRowInput } from './frame-row-schema.js';

export const MAX_FRAME_ROWS = 100_000;

export type ParsedFrameRow = { row: number; input: FrameRowInput } | { row: number; code: 'invalid'; reason: string };

const blankToUndefined = (r: Record<string, unknown>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined && v !== null && String(v).trim() !== ''));

/** A CSV cell typed "Telegram"/"ZALO" in a spreadsheet is the channel's name in lower case. */
const fromCsv = (r: Record<string, string>) => blankToUndefined({ ...r, ...(r.channel ? { channel: r.channel.trim().toLowerCase() } : {}) });

/** Every row of an upload (JSON array, `{rows: [...]}` or CSV), each valid or with its reason. */
export function parseFrame(body: unknown, isCsv: boolean): ParsedFrameRow[] {
  let records: unknown[];
  if (isCsv) {
    try {
      records = readCsvTable(String(body ?? ''), FRAME_CSV_HEADERS).map(fromCsv);
    } catch (err) {
      throw AppError.invalid(`the CSV could not be read: ${(err as Error).message}`);
    }
  } else {
    const list = Array.isArray(body) ? body : (body as { rows?: unknown })?.rows;
    if (!Array.isArray(list)) throw AppError.invalid('expected a JSON array of completed dossiers, {"rows": [...]}, or text/csv');
    records = list.map((r) => (r && typeof r === 'object' && !Array.isArray(r) ? blankToUndefined(r as Record<string, unknown>) : r));
  }
  if (records.length === 0) throw AppError.invalid('no rows in the upload');
  if (records.length > MAX_FRAME_ROWS) throw new AppError('too_large', 'too_many_rows', `at most ${MAX_FRAME_ROWS} rows per upload`);
  return records.map((raw, i) => {
    const parsed = frameRowSchema.safeParse(raw);
    return parsed.success ? { row: i + 1, input: parsed.data } : { row: i + 1, code: 'invalid' as const, reason: parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') };
  });
}
