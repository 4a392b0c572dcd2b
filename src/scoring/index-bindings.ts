import type { IndexNodeInput, Question, QuestionnaireDefinition } from '../questionnaire/definition-schema.js';

/** A criterion of the index tree and the likert5 question that measures it. */
export type CriterionBinding = { criterionCode: string; questionCode: string };

function walk(nodes: IndexNodeInput[], out: CriterionBinding[]): CriterionBinding[] {
  for (const node of nodes) {
    if (node.kind === 'criterion' && node.question) out.push({ criterionCode: node.code, questionCode: node.question });
    if (node.children) walk(node.children, out);
  }
  return out;
}

/** Every criterion of the definition's index tree, in tree order. */
export function criterionBindings(def: Pick<QuestionnaireDefinition, 'index'>): CriterionBinding[] {
  return walk(def.index, []);
}

/**
 * Questions reported as option shares, outside the index: every single, multi and yes/no
 * question, and likert5 questions not bound to a criterion (e.g. the overall
 * satisfaction question). Criterion questions and free text are not.
 */
export function optionQuestions(def: Pick<QuestionnaireDefinition, 'index' | 'questions'>): Question[] {
  const bound = new Set(criterionBindings(def).map((b) => b.questionCode));
  return def.questions.filter((q) => (q.kind === 'likert5' ? !bound.has(q.code) : q.kind !== 'text'));
}
