import type { Condition, Question, QuestionnaireDefinition } from '../../src/index.js';
import { seededRandom } from '../../src/core/seeded-random.js';

/** Deterministic pseudo-random numbers (mulberry32). */
export const prng = seededRandom;

/**
 * What one simulated citizen sends after `/start <token>` and the consent button: one
 * update per question, in questionnaire order, answered as the bot asks (buttons for
 * scales, single choices and yes/no; typed text for multi-choice and free text). The
 * plan is computed from the definition alone, so the load generator never has to read
 * the bot's replies; it follows `showIf` conditions so the filter is answered
 * consistently (element 5 only after "complaint = yes").
 */
export type Step = { kind: 'callback'; data: string } | { kind: 'text'; text: string };
export type CitizenPlan = { steps: Step[]; answers: { questionCode: string; value: string | number | boolean | string[] | null }[] };


export type Value = string | number | boolean | string[] | null;

/** Whether a `showIf` condition holds for the answers given so far (a multi-choice answer matches any of its options). */
export function conditionHolds(cond: Condition, answers: ReadonlyMap<string, Value>): boolean {
  if ('all' in cond) return cond.all.every((c) => conditionHolds(c, answers));
  if ('any' in cond) return cond.any.some((c) => conditionHolds(c, answers));
  if ('not' in cond) return !conditionHolds(cond.not, answers);
  const v = answers.get(cond.question);
  if ('answered' in cond) return (v !== undefined && v !== null) === cond.answered;
  const matches = (x: string | number | boolean) => (Array.isArray(v) ? v.includes(String(x)) : v === x);
  return 'equals' in cond ? matches(cond.equals) : cond.in.some(matches);
}

/** Share of citizens who say they filed a complaint (and so answer element 5). */
export const COMPLAINT_SHARE = 0.3;

function answerOne(q: Question, rnd: () => number, chatIndex: number): { step: Step; value: Value } {
  switch (q.kind) {
    case 'likert5': {
      // Mostly satisfied, some "no opinion" where allowed.
      const na = q.allowNa && rnd() < 0.05;
      const level = na ? 0 : Math.min(5, 1 + Math.floor(rnd() * 5 * 0.6 + 2));
      return { step: { kind: 'callback', data: `a:${q.code}:${level}` }, value: na ? null : level };
    }
    case 'yesno': {
      const yes = q.role === 'filter' ? chatIndex % 10 < COMPLAINT_SHARE * 10 : rnd() < 0.1;
      return { step: { kind: 'callback', data: `a:${q.code}:${yes ? 1 : 2}` }, value: yes };
    }
    case 'single': {
      const n = 1 + Math.floor(rnd() * q.options.length);
      return { step: { kind: 'callback', data: `a:${q.code}:${n}` }, value: q.options[n - 1]!.value };
    }
    case 'multi': {
      const first = 1 + Math.floor(rnd() * q.options.length);
      const second = 1 + ((first + Math.floor(rnd() * (q.options.length - 1))) % q.options.length);
      const picked = [...new Set([first, second])].sort((a, b) => a - b);
      return { step: { kind: 'text', text: picked.join(',') }, value: picked.map((i) => q.options[i - 1]!.value) };
    }
    case 'text':
      return { step: { kind: 'text', text: 'Cán bộ nhiệt tình, thủ tục nhanh.' }, value: 'text' };
  }
}

export function citizenPlan(def: QuestionnaireDefinition, chatIndex: number): CitizenPlan {
  const rnd = prng(chatIndex * 7919 + 17);
  const given = new Map<string, Value>();
  const steps: Step[] = [];
  const answers: CitizenPlan['answers'] = [];
  for (const q of def.questions) {
    if (q.showIf && !conditionHolds(q.showIf, given)) continue;
    const { step, value } = answerOne(q, rnd, chatIndex);
    given.set(q.code, value);
    steps.push(step);
    answers.push({ questionCode: q.code, value });
  }
  return { steps, answers };
}
