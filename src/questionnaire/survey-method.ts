import type { Aggregation, IndexNodeInput, LevelRule, QuestionnaireDefinition, SurveyMode } from './definition-schema.js';

/** The rule a definition without an `aggregation` was scored by, so stored versions keep their numbers. */
const DEFAULT_RULE: LevelRule = { rule: 'mean_of_children', evidence: 'our_reading', basis: 'Trung bình cộng không trọng số của các thành phần (quy tắc mặc định của sản phẩm).' };

/** Every level's rule, with the default where the definition says nothing. */
export function aggregationOf(def: Pick<QuestionnaireDefinition, 'aggregation' | 'index'>): Required<Aggregation> {
  return { field: def.aggregation?.field ?? DEFAULT_RULE, overall: def.aggregation?.overall ?? DEFAULT_RULE };
}

const criteriaOf = (nodes: IndexNodeInput[]): IndexNodeInput[] => nodes.flatMap((n) => (n.kind === 'criterion' ? [n] : criteriaOf(n.children ?? [])));

/** Whether the criteria are asked as the national forms ask them: none allows N/A, none is shown on a condition. */
export function askedAsNationalForms(def: Pick<QuestionnaireDefinition, 'index' | 'questions'>): boolean {
  const measured = new Set(criteriaOf(def.index).map((c) => c.question));
  return def.questions.every((q) => !measured.has(q.code) || (q.kind === 'likert5' && !q.allowNa && !q.showIf));
}

/** The declared mode, or the one the questions amount to. */
export function modeOf(def: Pick<QuestionnaireDefinition, 'mode' | 'index' | 'questions'>): SurveyMode {
  return def.mode ?? (askedAsNationalForms(def) ? 'moha-comparable' : 'variant');
}
