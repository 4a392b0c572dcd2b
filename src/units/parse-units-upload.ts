import { parseCodedRows } from '../core/parse-coded-rows.js';
import { MAX_UNITS_PER_UPLOAD, unitInputSchema, type UnitInput } from './unit-schema.js';

export type { RowError } from '../core/parse-coded-rows.js';

/** `PUT /api/v1/units`: a JSON array, `{units: [...]}` or CSV text; all rows valid or nothing saved. */
export const parseUnitsUpload = (body: unknown, isCsv: boolean): UnitInput[] => parseCodedRows(body, isCsv, { schema: unitInputSchema, listKey: 'units', max: MAX_UNITS_PER_UPLOAD, csvHeaders: {} });
