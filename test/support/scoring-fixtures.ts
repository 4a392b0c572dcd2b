import type { IndexNodeInput, QuestionnaireDefinition, QuestionnaireDefinitionInput } from '../../src/questionnaire/definition-schema.js';
import { parseDefinition } from '../../src/questionnaire/validate-definition.js';
import type { LikertCounts } from '../../src/scoring/count-types.js';
import type { AnswerForRollup } from '../../src/scoring/option-keys.js';

/*
 * Questionnaires, answers and counts for scoring tests: small instruments whose index
 * trees are easy to compute by hand. No database here (see scoring-database.ts).
 */

/** Index tree spec: a node with children, or a criterion (a leaf). */
export type TreeSpec = { code: string; children?: TreeSpec[] };

const vi = (s: string) => ({ vi: s });
export const questionOf = (criterionCode: string) => `q${criterionCode}`;

function toNodes(specs: TreeSpec[], kinds: IndexNodeInput['kind'][]): IndexNodeInput[] {
  const [kind, ...rest] = kinds;
  return specs.map((s) =>
    kind === 'criterion'
      ? { code: s.code, kind, title: vi(`Tiêu chí ${s.code}`), question: questionOf(s.code) }
      : { code: s.code, kind: kind!, title: vi(`${kind === 'field' ? 'Lĩnh vực' : 'Yếu tố'} ${s.code}`), children: toNodes(s.children ?? [], rest) },
  );
}

function leaves(specs: TreeSpec[]): string[] {
  return specs.flatMap((s) => (s.children ? leaves(s.children) : [s.code]));
}

/** Non-index questions every fixture carries: one of each reported kind, plus free text. */
export const OPTION_QUESTIONS: QuestionnaireDefinitionInput['questions'] = [
  { code: 'gender', kind: 'single', role: 'profile', text: vi('Giới tính'), options: [{ value: 'm', text: vi('Nam') }, { value: 'f', text: vi('Nữ') }] },
  {
    code: 'channel',
    kind: 'multi',
    role: 'perception',
    text: vi('Kênh tìm hiểu thông tin'),
    options: [{ value: 'web', text: vi('Cổng thông tin') }, { value: 'tv', text: vi('Truyền hình') }, { value: 'kin', text: vi('Người quen') }],
  },
  { code: 'harass', kind: 'yesno', role: 'perception', text: vi('Có bị gây phiền hà không?') },
  { code: 'overall', kind: 'likert5', role: 'overall', text: vi('Hài lòng chung') },
  { code: 'note', kind: 'text', role: 'comment', text: vi('Góp ý'), required: false },
];

/**
 * A valid questionnaire definition from a tree spec: with grandchildren the top level is
 * fields (field → element → criterion), otherwise elements. Criterion "x" is measured by
 * likert5 question "qx".
 */
export function fixtureDefinition(code: string, tree: TreeSpec[], withOptions = true): QuestionnaireDefinition {
  const twoLevels = tree.some((t) => t.children?.some((c) => c.children));
  const kinds: IndexNodeInput['kind'][] = twoLevels ? ['field', 'element', 'criterion'] : ['element', 'criterion'];
  const input: QuestionnaireDefinitionInput = {
    code,
    version: 1,
    title: vi(`Bộ câu hỏi thử ${code}`),
    basis: 'Thử nghiệm',
    intro: vi('Xin chào'),
    thanks: vi('Cảm ơn'),
    questions: [
      ...leaves(tree).map((c) => ({ code: questionOf(c), kind: 'likert5' as const, role: 'criterion' as const, text: vi(`Câu ${c}`) })),
      ...(withOptions ? OPTION_QUESTIONS : []),
    ],
    index: toNodes(tree, kinds),
  };
  return parseDefinition(input, code);
}

/** One field-less instrument: elements E1 (criteria E1.1, E1.2) and E2 (E2.1). */
export const ONE_FIELD = fixtureDefinition('fx-one', [
  { code: 'E1', children: [{ code: 'E1.1' }, { code: 'E1.2' }] },
  { code: 'E2', children: [{ code: 'E2.1' }] },
]);

/** Two fields: A (elements A1: 2 criteria, A2: 1) and B (B1: 1 criterion, B2: 2). */
export const TWO_FIELDS = fixtureDefinition('fx-two', [
  { code: 'A', children: [{ code: 'A1', children: [{ code: 'A1.1' }, { code: 'A1.2' }] }, { code: 'A2', children: [{ code: 'A2.1' }] }] },
  { code: 'B', children: [{ code: 'B1', children: [{ code: 'B1.1' }] }, { code: 'B2', children: [{ code: 'B2.1' }, { code: 'B2.2' }] }] },
]);

/**
 * TWO_FIELDS scored as the 2023–2026 national index: each field and the overall index the
 * mean of all the criteria below them (not of their children).
 */
export const TWO_FIELDS_POOLED: QuestionnaireDefinition = {
  ...TWO_FIELDS,
  code: 'fx-two-pooled',
  aggregation: {
    field: { rule: 'mean_of_criteria', evidence: 'our_reading', basis: 'Thử nghiệm' },
    overall: { rule: 'mean_of_criteria', evidence: 'published_figures', basis: 'Thử nghiệm' },
  },
};

/** Counts with `satisfied` answers at level 4 and `n − satisfied` at level 2 (plus optional N/A). */
export const counts = (satisfied: number, n: number, na = 0): LikertCounts => ({ c1: 0, c2: n - satisfied, c3: 0, c4: satisfied, c5: 0, na });

/** A stored answer to likert5 question `questionCode` with `score`. */
export const likert = (questionCode: string, score: number): AnswerForRollup => ({ questionCode, status: 'answered', score, value: null });
/** "Not applicable" to `questionCode`. */
export const na = (questionCode: string): AnswerForRollup => ({ questionCode, status: 'not_applicable', score: null, value: null });
/** An option (single), options (multi) or yes/no `value` chosen for `questionCode`. */
export const chose = (questionCode: string, value: unknown): AnswerForRollup => ({ questionCode, status: 'answered', score: null, value });
/** A question the citizen skipped. */
export const unanswered = (questionCode: string): AnswerForRollup => ({ questionCode, status: 'unanswered', score: null, value: null });
