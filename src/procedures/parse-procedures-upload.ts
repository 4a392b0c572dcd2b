import { parseCodedRows } from '../core/parse-coded-rows.js';
import { MAX_PROCEDURES_PER_UPLOAD, PROCEDURE_CSV_HEADERS, procedureInputSchema, type ProcedureInput } from './procedure-schema.js';

/** `PUT /api/v1/procedures`: JSON or CSV (Vietnamese headers too), all rows valid or nothing saved. */
export const parseProceduresUpload = (body: unknown, isCsv: boolean): ProcedureInput[] =>
  parseCodedRows(body, isCsv, { schema: procedureInputSchema, listKey: 'procedures', max: MAX_PROCEDURES_PER_UPLOAD, csvHeaders: PROCEDURE_CSV_HEADERS });
