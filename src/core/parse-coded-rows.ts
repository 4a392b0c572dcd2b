import type { z } from 'zod';
import { AppError } from './app-error.js';
import { readCsvTable } from './read-csv-table.js';

export type RowError = { row: number; message: string };

export type CodedRowsUpload<T> = {
  schema: z.ZodType<T>;
  /** The wrapper key of a JSON object body (`{units: [...]}`) and the word for messages. */
  listKey: string;
  /** How messages name the rows (default: `listKey`). */
  noun?: string;
  max: number;
  /** CSV headers accepted besides the field names (see read-csv-table.ts); absent: JSON only. */
  csvHeaders?: Record<string, readonly string[]>;
};

function rowsFromCsv(text: string, headers: Record<string, readonly string[]>): unknown[] {
  try {
    return readCsvTable(text, headers);
  } catch (err) {
    throw AppError.invalid(`the CSV could not be read: ${(err as Error).message}`);
  }
}

/**
 * A catalogue upload (units, unit groups, procedures): a JSON array, `{<listKey>: [...]}`
 * or CSV text. Every row is validated and each bad row reported by its number (1-based;
 * CSV rows count after the header), a code given twice included. All or nothing.
 */
export function parseCodedRows<T extends { code: string }>(body: unknown, isCsv: boolean, o: CodedRowsUpload<T>): T[] {
  const csv = isCsv && o.csvHeaders;
  const noun = o.noun ?? o.listKey;
  const rows = csv ? rowsFromCsv(String(body ?? ''), o.csvHeaders!) : Array.isArray(body) ? body : (body as Record<string, unknown> | null)?.[o.listKey];
  if (!Array.isArray(rows)) throw AppError.invalid(`expected a JSON array of ${noun}, {"${o.listKey}": [...]}${o.csvHeaders ? ', or text/csv' : ''}`);
  if (rows.length === 0) throw AppError.invalid(`no ${noun} in the upload`);
  if (rows.length > o.max) throw new AppError('too_large', 'too_many_rows', `at most ${o.max} ${noun} per upload`);
  const errors: RowError[] = [];
  const items: T[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const parsed = o.schema.safeParse(raw);
    if (!parsed.success) {
      errors.push({ row: i + 1, message: parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') });
      return;
    }
    const dup = seen.get(parsed.data.code);
    if (dup) errors.push({ row: i + 1, message: `code "${parsed.data.code}" already appears in row ${dup}` });
    seen.set(parsed.data.code, i + 1);
    items.push(parsed.data);
  });
  if (errors.length) throw new AppError('unprocessable', 'invalid_rows', `${errors.length} row(s) are invalid; nothing was saved`, errors);
  return items;
}
