import type { Db } from '../db/prisma-client.js';
import { ApiError } from '../api/api-error.js';
import { parseQuestionnaireRef } from '../questionnaire/questionnaire-ref.js';

export const DEFAULT_QUESTIONNAIRE_CODE = 'sipas-2017';

/**
 * Resolves "sipas-2017" (latest active version) or "sipas-2017@1" (that version), already
 * validated by `questionnaireRefSchema`, to a stored questionnaire row.
 */
export async function resolveQuestionnaire(db: Db, ref: string | undefined) {
  const text = ref ?? DEFAULT_QUESTIONNAIRE_CODE;
  const { code, version } = parseQuestionnaireRef(text);
  const where = version !== undefined ? { code, version } : { code, active: true };
  const row = await db.questionnaire.findFirst({ where, orderBy: { version: 'desc' } });
  if (!row) throw new ApiError(422, 'unknown_questionnaire', `no active questionnaire "${text}"`);
  return row;
}
