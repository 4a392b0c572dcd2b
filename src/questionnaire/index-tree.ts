import type { IndexNodeInput, LocalizedText, QuestionnaireDefinition } from './definition-schema.js';

export type IndexNodeRef = { code: string; title: LocalizedText };

/** One criterion of the index tree with the nodes above it. */
export type CriterionEntry = IndexNodeRef & {
  /** The likert5 question that measures the criterion. */
  question: string;
  element: IndexNodeRef;
  /** Absent in one-field instruments, whose top level is the elements. */
  field?: IndexNodeRef;
};

const ref = (n: IndexNodeInput): IndexNodeRef => ({ code: n.code, title: n.title });

/**
 * The criteria of a validated definition in tree order (depth-first, as the report lists
 * them), each with its element and, in two-field instruments, its field.
 */
export function criteria(def: QuestionnaireDefinition): CriterionEntry[] {
  const out: CriterionEntry[] = [];
  const visitElement = (element: IndexNodeInput, field?: IndexNodeInput) => {
    for (const c of element.children ?? []) {
      // parseDefinition guarantees criteria carry a question; the guard keeps the type honest.
      if (c.kind !== 'criterion' || !c.question) continue;
      out.push({ ...ref(c), question: c.question, element: ref(element), ...(field ? { field: ref(field) } : {}) });
    }
  };
  for (const top of def.index) {
    if (top.kind === 'field') for (const element of top.children ?? []) visitElement(element, top);
    else visitElement(top);
  }
  return out;
}
