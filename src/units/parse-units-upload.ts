import { parse } from 'csv-parse/sync';
import { AppError } from '../core/app-error.js';
import { MAX_UNITS_PER_UPLOAD, unitInputSchema, type UnitInput } from './unit-schema.js';

export type RowError = { row: number; message: string };

function rowsFromCsv(text: string): unknown[] {
  try {
    return parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as unknown[];
  } catch (err) {
    throw AppError.invalid(`the CSV could not be read: ${(err as Error).message}`);
  }
}

/**
 * Validates every row (JSON array, `{units: [...]}` or CSV text) and reports each bad
 * row by its number (1-based; CSV rows count after the header). All or nothing.
 */
export function parseUnitsUpload(body: unknown, isCsv: boolean): UnitInput[] {
  const rows = isCsv ? rowsFromCsv(String(body ?? '')) : Array.isArray(body) ? body : (body as { units?: unknown })?.units;
  if (!Array.isArray(rows)) throw AppError.invalid('expected a JSON array of units, {"units": [...]}, or text/csv');
  if (rows.length === 0) throw AppError.invalid('no units in the upload');
  if (rows.length > MAX_UNITS_PER_UPLOAD) throw AppError.invalid(`at most ${MAX_UNITS_PER_UPLOAD} units per upload`);
  const errors: RowError[] = [];
  const units: UnitInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const parsed = unitInputSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push({ row: i + 1, message: parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') });
      return;
    }
    const dup = seen.get(parsed.data.code);
    if (dup) errors.push({ row: i + 1, message: `code "${parsed.data.code}" already appears in row ${dup}` });
    seen.set(parsed.data.code, i + 1);
    units.push(parsed.data);
  });
  if (errors.length) throw new AppError('unprocessable', 'invalid_rows', `${errors.length} row(s) are invalid; nothing was saved`, errors);
  return units;
}
