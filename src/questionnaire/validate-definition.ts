import type { z } from 'zod';
import {
  questionnaireDefinitionSchema,
  type Condition,
  type IndexNodeInput,
  type Question,
  type QuestionnaireDefinition,
} from './definition-schema.js';
import { askedAsNationalForms } from './survey-method.js';

export type DefinitionProblem = { path: string; message: string };

/** Thrown when a questionnaire definition is invalid; lists every problem with its path. */
export class InvalidDefinitionError extends Error {
  constructor(
    readonly source: string,
    readonly problems: DefinitionProblem[],
  ) {
    super(`Invalid questionnaire ${source}:\n` + problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n'));
    this.name = 'InvalidDefinitionError';
  }
}

function pathOf(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

type Scalar = string | number | boolean;
type LeafCondition = { question: string; values: Scalar[] };

/** The leaves of a condition tree with the values they compare against (none for `answered`). */
function leafConditions(c: Condition): LeafCondition[] {
  if ('question' in c) return [{ question: c.question, values: 'equals' in c ? [c.equals] : 'in' in c ? c.in : [] }];
  if ('all' in c) return c.all.flatMap(leafConditions);
  if ('any' in c) return c.any.flatMap(leafConditions);
  return leafConditions(c.not);
}

/** Why `value` can never be an answer to `q`, or null when it can (see `Condition` for the answer types). */
function impossibleValue(q: Question, value: Scalar): string | null {
  switch (q.kind) {
    case 'yesno':
      return typeof value === 'boolean' ? null : `a yes/no answer is true or false, never ${JSON.stringify(value)}`;
    case 'likert5':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5 ? null : `a likert5 answer is a number 1-5, never ${JSON.stringify(value)}`;
    case 'single':
    case 'multi':
      return typeof value === 'string' && q.options.some((o) => o.value === value) ? null : `${JSON.stringify(value)} is not an option value of "${q.code}"`;
    case 'text':
      return typeof value === 'string' ? null : `a text answer is a string, never ${JSON.stringify(value)}`;
  }
}

/** Cross-field rules the shape alone cannot express. */
function crossCheck(def: QuestionnaireDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const position = new Map<string, number>();
  def.questions.forEach((q, i) => {
    if (position.has(q.code)) problems.push({ path: `questions[${i}].code`, message: `duplicate question code "${q.code}"` });
    else position.set(q.code, i);
    if ('options' in q) {
      const seen = new Set<string>();
      q.options.forEach((o, j) => {
        if (seen.has(o.value)) problems.push({ path: `questions[${i}].options[${j}].value`, message: `duplicate option value "${o.value}"` });
        seen.add(o.value);
      });
    }
    if (q.kind === 'multi' && q.maxChoices !== undefined && q.maxChoices > q.options.length) {
      problems.push({ path: `questions[${i}].maxChoices`, message: `maxChoices ${q.maxChoices} exceeds the ${q.options.length} options` });
    }
  });
  def.questions.forEach((q, i) => {
    if (!q.showIf) return;
    for (const { question: ref, values } of leafConditions(q.showIf)) {
      const at = position.get(ref);
      if (at === undefined) problems.push({ path: `questions[${i}].showIf`, message: `condition refers to unknown question "${ref}"` });
      else if (at >= i) problems.push({ path: `questions[${i}].showIf`, message: `condition refers to "${ref}", which is not asked before "${q.code}"` });
      else {
        // A value the referenced question can never produce silently hides (or always shows) this one.
        for (const v of values) {
          const why = impossibleValue(def.questions[at]!, v);
          if (why) problems.push({ path: `questions[${i}].showIf`, message: `condition on "${ref}" can never match: ${why}` });
        }
      }
    }
  });

  const nodeCodes = new Set<string>();
  const boundQuestions = new Set<string>();
  const topKinds = new Set(def.index.map((n) => n.kind));
  if (topKinds.size > 1 || topKinds.has('criterion')) {
    problems.push({ path: 'index', message: 'the top level of the index must be all fields or all elements' });
  }
  const expectedChild = { field: 'element', element: 'criterion', criterion: null } as const;
  const walk = (node: IndexNodeInput, path: string) => {
    if (nodeCodes.has(node.code)) problems.push({ path: `${path}.code`, message: `duplicate index node code "${node.code}"` });
    nodeCodes.add(node.code);
    const childKind = expectedChild[node.kind];
    if (childKind === null) {
      if (node.children?.length) problems.push({ path: `${path}.children`, message: 'a criterion has no children' });
      if (!node.question) {
        problems.push({ path: `${path}.question`, message: `criterion "${node.code}" must name the question that measures it` });
        return;
      }
      const at = position.get(node.question);
      if (at === undefined) {
        problems.push({ path: `${path}.question`, message: `unknown question code "${node.question}" in the index tree` });
      } else if (def.questions[at]!.kind !== 'likert5') {
        problems.push({ path: `${path}.question`, message: `criterion "${node.code}" must be measured by a likert5 question, "${node.question}" is ${def.questions[at]!.kind}` });
      } else if (def.questions[at]!.role !== 'criterion') {
        // e.g. the overall-satisfaction question: reported on its own, never averaged into the index.
        problems.push({ path: `${path}.question`, message: `criterion "${node.code}" is bound to "${node.question}", whose role is ${def.questions[at]!.role}, not criterion` });
      }
      if (boundQuestions.has(node.question)) problems.push({ path: `${path}.question`, message: `question "${node.question}" is bound to more than one criterion` });
      boundQuestions.add(node.question);
      return;
    }
    if (node.question) problems.push({ path: `${path}.question`, message: `only criteria are bound to questions` });
    if (!node.children?.length) {
      problems.push({ path: `${path}.children`, message: `${node.kind} "${node.code}" needs at least one ${childKind}` });
      return;
    }
    node.children.forEach((child, i) => {
      if (child.kind !== childKind) problems.push({ path: `${path}.children[${i}].kind`, message: `a ${node.kind} contains ${childKind}s, not ${child.kind}s` });
      walk(child, `${path}.children[${i}]`);
    });
  };
  def.index.forEach((n, i) => walk(n, `index[${i}]`));

  def.questions.forEach((q, i) => {
    if (q.role === 'criterion' && !boundQuestions.has(q.code)) {
      problems.push({ path: `questions[${i}].role`, message: `question "${q.code}" has role criterion but no index node measures it` });
    }
  });
  if (def.mode === 'moha-comparable' && !askedAsNationalForms(def)) {
    problems.push({ path: 'mode', message: 'a moha-comparable questionnaire asks every criterion of everyone without a "no opinion" option (allowNa false, no showIf)' });
  }
  if (def.aggregation?.field && !topKinds.has('field')) {
    problems.push({ path: 'aggregation.field', message: 'only an index whose top level is fields has a field rule' });
  }
  return problems;
}

/**
 * Parses and validates a definition. Throws `InvalidDefinitionError` naming the path of
 * every problem (shape errors first; cross-field rules only once the shape is right).
 */
export function parseDefinition(input: unknown, source = 'definition'): QuestionnaireDefinition {
  const parsed = questionnaireDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i: z.core.$ZodIssue) => ({ path: pathOf(i.path), message: i.message }));
    throw new InvalidDefinitionError(source, problems);
  }
  const problems = crossCheck(parsed.data);
  if (problems.length) throw new InvalidDefinitionError(source, problems);
  return parsed.data;
}
