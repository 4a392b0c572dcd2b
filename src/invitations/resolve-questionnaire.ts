import type { Db } from '../db/prisma-client.js';
import { ApiError } from '../api/api-error.js';

export const DEFAULT_QUESTIONNAIRE_CODE = 'sipas-2017';

/**
 * Resolves "sipas-2017" (latest active version) or "sipas-2017@1" (that version)
 * to a stored questionnaire row.
 */
export async function resolveQuestionnaire(db: Db, ref: string | undefined) {
  const [code, version] = (ref ?? DEFAULT_QUESTIONNAIRE_CODE).split('@');
  const where = version ? { code: code!, version: Number(version) } : { code: code!, active: true };
  const row = await db.questionnaire.findFirst({ where, orderBy: { version: 'desc' } });
  if (!row || (version && !Number.isInteger(Number(version)))) throw new ApiError(422, 'unknown_questionnaire', `no active questionnaire "${ref}"`);
  return row;
}
