import type { Question, QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { visibilityOf } from './question-flow.js';
import type { RecordedAnswer } from './session-schema.js';

/**
 * How long a survey is for the citizen, computed from the questionnaire with its filters:
 * the fewest and the most questions one citizen can be shown, and the minutes the longest
 * path takes. The invitation, the intro and the consent step all say these numbers.
 */
export type SurveyLength = { minQuestions: number; maxQuestions: number; minutes: number };

/** Seconds a citizen takes on a question of each kind, in a chat (reading, tapping or typing). */
const SECONDS: Record<Question['kind'], number> = { likert5: 12, yesno: 10, single: 12, multi: 20, text: 30 };
/** Filter answers tried before giving up on the exact range (far beyond any real questionnaire). */
const MAX_PATHS = 10_000;

type Path = { shown: number; seconds: number };

/** The answers to a filter question that can change what follows (conditions compare stored values). */
function candidates(q: Question): RecordedAnswer[] {
  const at = new Date(0).toISOString();
  const answered = (value: RecordedAnswer['value'], score?: number): RecordedAnswer => ({ status: 'answered', value, ...(score ? { score } : {}), seq: 1, at });
  const values: RecordedAnswer[] =
    q.kind === 'yesno'
      ? [answered(true), answered(false)]
      : q.kind === 'likert5'
        ? [1, 2, 3, 4, 5].map((n) => answered(n, n))
        : q.kind === 'single'
          ? q.options.map((o) => answered(o.value))
          : q.kind === 'multi'
            ? [...q.options.map((o) => answered([o.value])), answered(q.options.map((o) => o.value))]
            : [answered('…')];
  const others: RecordedAnswer[] = [];
  if (q.kind === 'likert5' && q.allowNa) others.push({ status: 'not_applicable', value: null, seq: 1, at });
  if (!q.required) others.push({ status: 'unanswered', value: null, seq: 1, at });
  return [...values, ...others];
}

/** Codes of the questions some condition refers to: only their answers change the path. */
function filterCodes(def: QuestionnaireDefinition): Set<string> {
  const codes = new Set<string>();
  const walk = (c: unknown): void => {
    if (!c || typeof c !== 'object') return;
    const o = c as Record<string, unknown>;
    if (typeof o.question === 'string') codes.add(o.question);
    for (const k of ['all', 'any']) if (Array.isArray(o[k])) (o[k] as unknown[]).forEach(walk);
    if (o.not) walk(o.not);
  };
  def.questions.forEach((q) => walk(q.showIf));
  return codes;
}

/** Every path through the filters (answers to filter questions only), or undefined past MAX_PATHS. */
function paths(def: QuestionnaireDefinition): Path[] | undefined {
  const filters = filterCodes(def);
  const out: Path[] = [];
  const walk = (i: number, answers: Record<string, RecordedAnswer>, path: Path): boolean => {
    if (out.length > MAX_PATHS) return false;
    const q = def.questions[i];
    if (!q) {
      out.push(path);
      return true;
    }
    if (visibilityOf(def, answers).get(q.code) === 'hidden') return walk(i + 1, answers, path);
    const next = { shown: path.shown + 1, seconds: path.seconds + SECONDS[q.kind] };
    if (!filters.has(q.code)) return walk(i + 1, answers, next);
    return candidates(q).every((a) => walk(i + 1, { ...answers, [q.code]: a }, next));
  };
  return walk(0, {}, { shown: 0, seconds: 0 }) ? out : undefined;
}

const minutesOf = (seconds: number) => Math.max(2, Math.ceil(seconds / 60));

/** Definitions are immutable once loaded: each is walked once. */
const computed = new WeakMap<QuestionnaireDefinition, SurveyLength>();

export function surveyLength(def: QuestionnaireDefinition): SurveyLength {
  let length = computed.get(def);
  if (!length) computed.set(def, (length = compute(def)));
  return length;
}

function compute(def: QuestionnaireDefinition): SurveyLength {
  const all = paths(def);
  if (!all) {
    // Too many filter combinations to walk: every question at most, the unconditional ones at least.
    const seconds = def.questions.reduce((s, q) => s + SECONDS[q.kind], 0);
    return { minQuestions: def.questions.filter((q) => !q.showIf).length, maxQuestions: def.questions.length, minutes: minutesOf(seconds) };
  }
  return {
    minQuestions: Math.min(...all.map((p) => p.shown)),
    maxQuestions: Math.max(...all.map((p) => p.shown)),
    minutes: minutesOf(Math.max(...all.map((p) => p.seconds))),
  };
}
