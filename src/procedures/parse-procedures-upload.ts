import { AppError } from '../core/app-error.js';
import { readCsvTable } from '../core/read-csv-table.js';
import { MAX_PROCEDURES_PER_UPLOAD, PROCEDURE_CSV_HEADERS, procedureInputSchema, type ProcedureInput } from './procedure-schema.js';

export type RowError = { row: number; message: string };

function rowsFromCsv(text: string): unknown[] {
  try {
    return readCsvTable(text, PROCEDURE_CSV_HEADERS);
  } catch (err) {
    throw AppError.invalid(`the CSV could not be read: ${(err as Error).message}`);
  }
}

/**
 * Validates every row (JSON array, `{procedures: [...]}` or CSV text) and reports each bad
 * row by its number (1-based; CSV rows count after the header). All or nothing.
 */
export function parseProceduresUpload(body: unknown, isCsv: boolean): ProcedureInput[] {
  const rows = isCsv ? rowsFromCsv(String(body ?? '')) : Array.isArray(body) ? body : (body as { procedures?: unknown })?.procedures;
  if (!Array.isArray(rows)) throw AppError.invalid('expected a JSON array of procedures, {"procedures": [...]}, or text/csv');
  if (rows.length === 0) throw AppError.invalid('no procedures in the upload');
  if (rows.length > MAX_PROCEDURES_PER_UPLOAD) throw new AppError('too_large', 'too_many_rows', `at most ${MAX_PROCEDURES_PER_UPLOAD} procedures per upload`);
  const errors: RowError[] = [];
  const procedures: ProcedureInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const parsed = procedureInputSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push({ row: i + 1, message: parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') });
      return;
    }
    const dup = seen.get(parsed.data.code);
    if (dup) errors.push({ row: i + 1, message: `code "${parsed.data.code}" already appears in row ${dup}` });
    seen.set(parsed.data.code, i + 1);
    procedures.push(parsed.data);
  });
  if (errors.length) throw new AppError('unprocessable', 'invalid_rows', `${errors.length} row(s) are invalid; nothing was saved`, errors);
  return procedures;
}
