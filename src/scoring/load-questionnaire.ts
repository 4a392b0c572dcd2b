import type { Db } from '../db/prisma-client.js';
import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { parseDefinition } from '../questionnaire/validate-definition.js';

export type StoredQuestionnaire = { id: number; code: string; version: number; definition: QuestionnaireDefinition };

/** Thrown when the requested questionnaire (id, or code and optional version) is not stored. */
export class QuestionnaireNotFoundError extends Error {
  constructor(readonly ref: number | string) {
    super(`questionnaire ${String(ref)} not found`);
    this.name = 'QuestionnaireNotFoundError';
  }
}

/**
 * A stored questionnaire with its parsed definition, by id, or by code (the highest
 * version unless `version` is given). Throws `QuestionnaireNotFoundError`.
 */
export async function loadQuestionnaire(db: Db, ref: number | { code: string; version?: number }): Promise<StoredQuestionnaire> {
  const row =
    typeof ref === 'number'
      ? await db.questionnaire.findUnique({ where: { id: ref } })
      : await db.questionnaire.findFirst({
          where: { code: ref.code, ...(ref.version === undefined ? {} : { version: ref.version }) },
          orderBy: { version: 'desc' },
        });
  if (!row) throw new QuestionnaireNotFoundError(typeof ref === 'number' ? ref : `${ref.code}${ref.version ? `@${ref.version}` : ''}`);
  const definition = parseDefinition(row.definition, `${row.code}@${row.version}`);
  return { id: row.id, code: row.code, version: row.version, definition };
}
