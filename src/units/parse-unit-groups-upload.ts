import { AppError } from '../core/app-error.js';
import type { RowError } from './parse-units-upload.js';
import { MAX_UNIT_GROUPS_PER_UPLOAD, unitGroupInputSchema, type UnitGroupInput } from './unit-group-schema.js';

/**
 * Validates every row (JSON array or `{groups: [...]}`) and reports each bad row by its
 * number (1-based). All or nothing, as unit uploads are.
 */
export function parseUnitGroupsUpload(body: unknown): UnitGroupInput[] {
  const rows = Array.isArray(body) ? body : (body as { groups?: unknown } | null)?.groups;
  if (!Array.isArray(rows)) throw AppError.invalid('expected a JSON array of unit groups or {"groups": [...]}');
  if (rows.length === 0) throw AppError.invalid('no unit groups in the upload');
  if (rows.length > MAX_UNIT_GROUPS_PER_UPLOAD) throw AppError.invalid(`at most ${MAX_UNIT_GROUPS_PER_UPLOAD} unit groups per upload`);
  const errors: RowError[] = [];
  const groups: UnitGroupInput[] = [];
  const seen = new Map<string, number>();
  rows.forEach((raw, i) => {
    const parsed = unitGroupInputSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push({ row: i + 1, message: parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') });
      return;
    }
    const dup = seen.get(parsed.data.code);
    if (dup) errors.push({ row: i + 1, message: `code "${parsed.data.code}" already appears in row ${dup}` });
    seen.set(parsed.data.code, i + 1);
    groups.push(parsed.data);
  });
  if (errors.length) throw new AppError('unprocessable', 'invalid_rows', `${errors.length} row(s) are invalid; nothing was saved`, errors);
  return groups;
}
