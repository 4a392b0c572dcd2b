import type { Question, QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { latestBuiltinQuestionnaire, loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import type { AnswerPlan } from './telegram-survey-driver.js';

/**
 * One scripted citizen, shared by the channel tests: whatever the channel, the same
 * option numbers (as the engine numbers them: "1"…, "0" = no opinion) or the same text
 * for every question, so two channels' results in PostgreSQL can be compared.
 */
export type ScriptedAnswer = { kind: 'options'; numbers: string[] } | { kind: 'text'; text: string };

/** The free text the Telegram driver types too. */
export const SCRIPT_COMMENT = 'Cán bộ nhiệt tình, thủ tục nhanh.';

const hash = (s: string) => [...s].reduce((sum, c) => sum + c.charCodeAt(0) * 7, 0);

export function scriptedAnswer(q: Question): ScriptedAnswer {
  switch (q.kind) {
    case 'likert5':
      // One criterion answered "no opinion" so N/A travels through both channels.
      return { kind: 'options', numbers: [q.code === '2.3' && q.allowNa ? '0' : String((hash(q.code) % 5) + 1)] };
    case 'yesno':
      // "Yes" to the complaint filter, so element 5 is asked.
      return { kind: 'options', numbers: [q.code === 'complaint' ? '1' : '2'] };
    case 'single':
      return { kind: 'options', numbers: [String((hash(q.code) % q.options.length) + 1)] };
    case 'multi':
      return { kind: 'options', numbers: ['1', '3'] };
    case 'text':
      return { kind: 'text', text: SCRIPT_COMMENT };
  }
}

/** The built-in version a fresh deployment starts surveys with (the highest), unless a version is named. */
export function builtinDefinition(code: string, version?: number): QuestionnaireDefinition {
  if (version === undefined) return latestBuiltinQuestionnaire(code);
  const def = loadBuiltinQuestionnaires().find((d) => d.code === code && d.version === version);
  if (!def) throw new Error(`no built-in questionnaire ${code}@${version}`);
  return def;
}

/** The script as a Telegram plan: press the scripted buttons (and "Xong" for multi-choice). */
export function scriptPlan(def: QuestionnaireDefinition): AnswerPlan {
  return (code) => {
    const q = def.questions.find((x) => x.code === code);
    if (!q) throw new Error(`unknown question ${code}`);
    const a = scriptedAnswer(q);
    if (a.kind === 'text') return { type: a.text };
    const presses = a.numbers.map((n) => `a:${code}:${n}`);
    return { press: q.kind === 'multi' ? [...presses, `a:${code}:ok`] : presses };
  };
}

/** Answers as stored, keyed by question code, for comparing channels. */
export type StoredAnswers = Record<string, { status: string; score: number | null; value: unknown }>;

export function storedAnswers(rows: { questionCode: string; status: string; score: number | null; value: unknown }[]): StoredAnswers {
  return Object.fromEntries(rows.map((a) => [a.questionCode, { status: a.status, score: a.score, value: a.value }]));
}

/** What PostgreSQL should hold after the script (every question shown: the complaint filter is "yes"). */
export function expectedAnswers(def: QuestionnaireDefinition): StoredAnswers {
  const out: StoredAnswers = {};
  for (const q of def.questions) {
    const a = scriptedAnswer(q);
    if (a.kind === 'text') out[q.code] = { status: 'answered', score: null, value: a.text };
    else if (q.kind === 'likert5') {
      const n = Number(a.numbers[0]);
      out[q.code] = n === 0 ? { status: 'not_applicable', score: null, value: null } : { status: 'answered', score: n, value: n };
    } else if (q.kind === 'yesno') out[q.code] = { status: 'answered', score: null, value: a.numbers[0] === '1' };
    else if (q.kind === 'single') out[q.code] = { status: 'answered', score: null, value: q.options[Number(a.numbers[0]) - 1]!.value };
    else if (q.kind === 'multi') out[q.code] = { status: 'answered', score: null, value: a.numbers.map((n) => q.options[Number(n) - 1]!.value) };
  }
  return out;
}
