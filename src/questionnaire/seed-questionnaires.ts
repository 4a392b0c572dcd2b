import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../db/prisma-client.js';
import type { QuestionnaireDefinition } from './definition-schema.js';

export type SeedResult = { inserted: string[]; unchanged: string[]; conflicts: string[] };

/**
 * Stores built-in definitions that the database does not have yet. A stored version is
 * never overwritten: answers refer to it, so a changed definition needs a new version
 * (reported in `conflicts`).
 */
export async function seedQuestionnaires(db: Db, defs: QuestionnaireDefinition[]): Promise<SeedResult> {
  const result: SeedResult = { inserted: [], unchanged: [], conflicts: [] };
  for (const def of defs) {
    const id = `${def.code}@${def.version}`;
    const existing = await db.questionnaire.findUnique({ where: { code_version: { code: def.code, version: def.version } } });
    if (!existing) {
      await db.questionnaire
        .create({ data: { code: def.code, version: def.version, title: def.title.vi, definition: def as object, active: true } })
        .catch(async (err: unknown) => {
          // Another process seeded it at the same moment.
          if ((err as { code?: string }).code !== 'P2002') throw err;
        });
      result.inserted.push(id);
    } else if (isDeepStrictEqual(JSON.parse(JSON.stringify(def)), existing.definition)) {
      result.unchanged.push(id);
    } else {
      result.conflicts.push(id);
    }
  }
  return result;
}
