import { surveyLength, type SurveyLength } from '../engine/index.js';
import { parseDefinition } from '../questionnaire/validate-definition.js';

/** Stored versions never change: each questionnaire row is measured once per process. */
const byQuestionnaire = new Map<string, SurveyLength>();

/** The length an invitation announces: the same computation the survey's intro and consent step use. */
export function invitationSurveyLength(q: { id: number; code: string; version: number; definition: unknown }): SurveyLength {
  const key = `${q.id}:${q.code}@${q.version}`;
  let length = byQuestionnaire.get(key);
  if (!length) byQuestionnaire.set(key, (length = surveyLength(parseDefinition(q.definition, `${q.code}@${q.version}`))));
  return length;
}
