import { describe, expect, it } from 'vitest';
import { InvalidDefinitionError, parseDefinition, type DefinitionProblem } from '../../src/questionnaire/validate-definition.js';
import { validDefinition } from './definition-fixture.js';

/** Runs parseDefinition on a broken copy and returns its problems (failing if it was accepted). */
function problemsOf(input: unknown): DefinitionProblem[] {
  try {
    parseDefinition(input, 'broken.json');
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidDefinitionError);
    return (err as InvalidDefinitionError).problems;
  }
  throw new Error('the broken definition was accepted');
}

// Loose on purpose: `questions` and `index` are rewritten freely in the cases below.
type Mutable = { questions: Record<string, unknown>[]; index: Record<string, unknown>[] } & Record<string, unknown>;
const broken = (edit: (d: Mutable) => void): unknown => {
  const d = structuredClone(validDefinition()) as unknown as Mutable;
  edit(d);
  return d;
};
const criterionNode = (d: Mutable, element: number) => (d.index[element]!.children as Record<string, unknown>[])[0]!;

describe('parseDefinition', () => {
  it('accepts the fixture the other cases break', () => {
    const def = parseDefinition(validDefinition(), 'ok.json');
    expect(def.questions.map((q) => q.code)).toEqual(['q1', 'filter', 'q2', 'field', 'overall']);
    expect(def.questions[0]).toMatchObject({ required: true, allowNa: true }); // defaults applied
  });

  it('rejects an unknown question code in the index tree', () => {
    const problems = problemsOf(broken((d) => (criterionNode(d, 0).question = 'nope')));
    expect(problems).toContainEqual({ path: 'index[0].children[0].question', message: 'unknown question code "nope" in the index tree' });
  });

  it('rejects duplicate question codes, pointing at the second one', () => {
    const problems = problemsOf(broken((d) => (d.questions[3]!.code = 'q1')));
    expect(problems).toContainEqual({ path: 'questions[3].code', message: 'duplicate question code "q1"' });
  });

  it('rejects a condition that refers to a later question', () => {
    const problems = problemsOf(broken((d) => (d.questions[0]!.showIf = { question: 'field', equals: 'khac' })));
    expect(problems).toContainEqual({ path: 'questions[0].showIf', message: 'condition refers to "field", which is not asked before "q1"' });
  });

  it('rejects a condition nested in all/any/not that refers to an unknown question', () => {
    const problems = problemsOf(broken((d) => (d.questions[2]!.showIf = { all: [{ question: 'filter', equals: true }, { not: { question: 'ghost', answered: true } }] })));
    expect(problems).toContainEqual({ path: 'questions[2].showIf', message: 'condition refers to unknown question "ghost"' });
  });

  it('rejects a likert question with no text', () => {
    const problems = problemsOf(broken((d) => delete d.questions[0]!.text));
    expect(problems).toContainEqual({ path: 'questions[0].text', message: 'text is required: { "vi": "…", "en": "…" }' });
  });

  it('rejects a likert question whose Vietnamese text is blank', () => {
    const problems = problemsOf(broken((d) => (d.questions[0]!.text = { vi: '   ', en: 'Polite' })));
    expect(problems).toContainEqual({ path: 'questions[0].text.vi', message: 'Vietnamese text is required' });
  });

  it('rejects Vietnamese text that is not NFC', () => {
    const nfd = 'Thủ tục hành chính'.normalize('NFD');
    const problems = problemsOf(broken((d) => (d.questions[0]!.text = { vi: nfd })));
    expect(problems).toContainEqual({ path: 'questions[0].text.vi', message: 'Vietnamese text must be NFC-normalised' });
  });

  it('rejects a criterion bound to a non-likert question', () => {
    const problems = problemsOf(broken((d) => (criterionNode(d, 0).question = 'field')));
    expect(problems).toContainEqual({ path: 'index[0].children[0].question', message: 'criterion "C1" must be measured by a likert5 question, "field" is single' });
  });

  it('rejects a criterion bound to the overall-satisfaction question', () => {
    const problems = problemsOf(broken((d) => (criterionNode(d, 0).question = 'overall')));
    expect(problems).toContainEqual({ path: 'index[0].children[0].question', message: 'criterion "C1" is bound to "overall", whose role is overall, not criterion' });
  });

  it('rejects mixed top-level kinds in the index', () => {
    const problems = problemsOf(
      broken((d) => {
        d.index[1] = { code: 'F', kind: 'field', title: { vi: 'Lĩnh vực' }, children: [d.index[1]] };
      }),
    );
    expect(problems).toContainEqual({ path: 'index', message: 'the top level of the index must be all fields or all elements' });
  });

  it('rejects a condition value the referenced question can never give', () => {
    const yesString = problemsOf(broken((d) => (d.questions[2]!.showIf = { question: 'filter', equals: 'yes' })));
    expect(yesString).toContainEqual({ path: 'questions[2].showIf', message: 'condition on "filter" can never match: a yes/no answer is true or false, never "yes"' });
    const noOption = problemsOf(broken((d) => (d.questions[4]!.showIf = { question: 'field', in: ['dat_dai', 'xay_dung'] })));
    expect(noOption).toContainEqual({ path: 'questions[4].showIf', message: 'condition on "field" can never match: "xay_dung" is not an option value of "field"' });
  });

  it('rejects a multi question allowing more choices than it has options', () => {
    const problems = problemsOf(
      broken((d) => {
        d.questions[3] = { ...d.questions[3], kind: 'multi', maxChoices: 3 };
      }),
    );
    expect(problems).toContainEqual({ path: 'questions[3].maxChoices', message: 'maxChoices 3 exceeds the 2 options' });
  });

  it('reports every cross-field problem at once, with the source and paths in the message', () => {
    let error: unknown;
    try {
      parseDefinition(
        broken((d) => {
          d.questions[3]!.code = 'q1';
          criterionNode(d, 1).question = 'missing';
        }),
        'two-problems.json',
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidDefinitionError);
    const e = error as InvalidDefinitionError;
    expect(e.source).toBe('two-problems.json');
    expect(e.problems).toHaveLength(3); // duplicate code, unknown question, and q2 left unmeasured
    expect(e.message).toContain('Invalid questionnaire two-problems.json:');
    expect(e.message).toContain('- questions[3].code: duplicate question code "q1"');
    expect(e.message).toContain('- index[1].children[0].question: unknown question code "missing" in the index tree');
  });
});
