import { z } from 'zod';
import { lineField } from '../db/text-field.js';

/** One procedure of the catalogue in `PUT /api/v1/procedures` (JSON, or CSV whose headers map to these names). */
export const procedureInputSchema = z
  .object({
    /** As invitations and sampling frames name it (`procedureCode`, "Mã thủ tục"). */
    code: lineField(128),
    name: lineField(500).transform((s) => s.normalize('NFC')),
    /** The procedure's field (lĩnh vực), the breakdown's grouping. */
    field: lineField(200).transform((s) => s.normalize('NFC')),
  })
  .strict();
export type ProcedureInput = z.infer<typeof procedureInputSchema>;

/** A national catalogue has a few thousand procedures; one upload holds all of them. */
export const MAX_PROCEDURES_PER_UPLOAD = 20_000;

/** CSV headers as the national procedure catalogue exports write them (compared without diacritics or case). */
export const PROCEDURE_CSV_HEADERS = {
  code: ['Mã thủ tục', 'Mã TTHC', 'Mã số thủ tục', 'procedureCode'],
  name: ['Tên thủ tục', 'Tên TTHC', 'Tên thủ tục hành chính'],
  field: ['Lĩnh vực', 'Lĩnh vực thực hiện'],
} as const;
