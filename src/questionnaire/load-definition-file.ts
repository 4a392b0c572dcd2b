import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { QuestionnaireDefinition } from './definition-schema.js';
import { InvalidDefinitionError, parseDefinition } from './validate-definition.js';

/**
 * Reads and validates one questionnaire definition file. Every failure (unreadable file,
 * malformed JSON, invalid definition) is an `InvalidDefinitionError` whose source is the
 * file name, so a broken data file is named in the start-up error.
 */
export function loadDefinitionFile(path: string): QuestionnaireDefinition {
  const source = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidDefinitionError(source, [{ path: '', message: `cannot read the file: ${(err as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidDefinitionError(source, [{ path: '', message: `not valid JSON: ${(err as Error).message}` }]);
  }
  return parseDefinition(json, source);
}
