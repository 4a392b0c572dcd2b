import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QuestionnaireDefinition } from './definition-schema.js';
import { loadDefinitionFile } from './load-definition-file.js';
import { InvalidDefinitionError } from './validate-definition.js';

/** `questionnaires/` at the repository top, found from this module so the cwd does not matter. */
export const BUILTIN_QUESTIONNAIRES_DIR = fileURLToPath(new URL('../../questionnaires/', import.meta.url));

/**
 * Loads and validates every `*.json` definition in `dir` (default: the built-in ones), in
 * file-name order. Throws `InvalidDefinitionError` naming the first failing file, or the
 * second file of a pair that reuses a `code` + `version` (stored versions must be unique).
 */
export function loadBuiltinQuestionnaires(dir: string = BUILTIN_QUESTIONNAIRES_DIR): QuestionnaireDefinition[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const seen = new Map<string, string>();
  return files.map((file) => {
    const def = loadDefinitionFile(join(dir, file));
    const id = `${def.code}@${def.version}`;
    const first = seen.get(id);
    if (first) throw new InvalidDefinitionError(file, [{ path: 'version', message: `${id} is already defined in ${first}` }]);
    seen.set(id, file);
    return def;
  });
}

/** The highest built-in version of `code`: what a fresh deployment starts surveys with. */
export function latestBuiltinQuestionnaire(code: string, dir: string = BUILTIN_QUESTIONNAIRES_DIR): QuestionnaireDefinition {
  const versions = loadBuiltinQuestionnaires(dir).filter((d) => d.code === code);
  if (!versions.length) throw new Error(`no built-in questionnaire ${code}`);
  return versions.reduce((a, b) => (b.version > a.version ? b : a));
}
