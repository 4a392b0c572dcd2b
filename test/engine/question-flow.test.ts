import { describe, expect, it } from 'vitest';
import {
  firstPending,
  inapplicableAnswers,
  previousShown,
  progressOf,
  visibilityOf,
} from '../../src/engine/question-flow.js';
import type { RecordedAnswer } from '../../src/engine/session-schema.js';
import { parseDefinition } from '../../src/questionnaire/validate-definition.js';
import { MINI } from './fixtures/definitions.js';

const at = '2025-03-03T08:00:00.000Z';
const a = (value: RecordedAnswer['value'], status: RecordedAnswer['status'] = 'answered'): RecordedAnswer => ({
  status,
  value,
  ...(typeof value === 'number' ? { score: value } : {}),
  seq: 1,
  at,
});

describe('skip conditions and progress (mini survey)', () => {
  it('counts questions behind an unanswered filter in the total, and drops them once the filter says no', () => {
    expect(visibilityOf(MINI, {}).get('5.1')).toBe('maybe');
    expect(progressOf(MINI, {}, 'gender')).toEqual({ current: 1, total: 8 });
    const no = { gender: a('male'), '1.1': a(4), '1.2': a(5), complaint: a(false) };
    expect(visibilityOf(MINI, no).get('5.1')).toBe('hidden');
    expect(progressOf(MINI, no, 'expect')).toEqual({ current: 5, total: 6 });
    const yes = { ...no, complaint: a(true) };
    expect(visibilityOf(MINI, yes).get('5.2')).toBe('visible');
    expect(progressOf(MINI, yes, '5.1')).toEqual({ current: 5, total: 8 });
    expect(progressOf(MINI, yes, 'comment')).toEqual({ current: 8, total: 8 });
  });

  it('finds the next unanswered shown question and the previous shown one', () => {
    const no = { gender: a('male'), '1.1': a(4), '1.2': a(5), complaint: a(false) };
    expect(firstPending(MINI, no)?.code).toBe('expect');
    expect(previousShown(MINI, no, 'expect')?.code).toBe('complaint');
    expect(previousShown(MINI, no, 'gender')).toBeUndefined();
    expect(firstPending(MINI, { ...no, expect: a(['online']), comment: a(null, 'unanswered') })).toBeUndefined();
  });

  it('lists answers that a changed filter made inapplicable', () => {
    const answers = { complaint: a(false), '5.1': a(3), '5.2': a(null, 'not_applicable'), ghost: a(1) };
    expect(inapplicableAnswers(MINI, answers).sort()).toEqual(['5.1', '5.2', 'ghost']);
    expect(inapplicableAnswers(MINI, { ...answers, complaint: a(true) })).toEqual(['ghost']);
  });
});

describe('condition operators', () => {
  const def = parseDefinition({
    code: 'ops',
    version: 1,
    title: { vi: 'Thử điều kiện' },
    intro: { vi: 'Giới thiệu' },
    thanks: { vi: 'Cảm ơn' },
    questions: [
      { code: 'kind', kind: 'single', role: 'profile', text: { vi: 'Loại?' }, options: [{ value: 'person', text: { vi: 'Cá nhân' } }, { value: 'org', text: { vi: 'Tổ chức' } }] },
      { code: 'score', kind: 'likert5', role: 'overall', text: { vi: 'Điểm?' } },
      { code: 'low', kind: 'text', role: 'comment', text: { vi: 'Vì sao chưa hài lòng?' }, showIf: { question: 'score', in: [1, 2] } },
      { code: 'org_only', kind: 'yesno', role: 'perception', text: { vi: 'Tổ chức?' }, showIf: { all: [{ question: 'kind', equals: 'org' }, { not: { question: 'score', answered: false } }] } },
      { code: 'either', kind: 'yesno', role: 'perception', text: { vi: 'Hoặc?' }, showIf: { any: [{ question: 'low', answered: true }, { question: 'org_only', equals: true }] } },
      { code: 'c1', kind: 'likert5', role: 'criterion', text: { vi: 'Tiêu chí' } },
    ],
    index: [{ code: '1', kind: 'element', title: { vi: 'Yếu tố' }, children: [{ code: '1.1', kind: 'criterion', title: { vi: 'TC' }, question: 'c1' }] }],
  });

  it('is three-valued until the referenced questions are answered', () => {
    expect(Object.fromEntries(visibilityOf(def, {}))).toMatchObject({ low: 'maybe', org_only: 'maybe', either: 'maybe' });
    const person = { kind: a('person') };
    expect(visibilityOf(def, person).get('org_only')).toBe('hidden'); // all(): one false decides
    const lowScore = { kind: a('person'), score: a(2) };
    expect(Object.fromEntries(visibilityOf(def, lowScore))).toMatchObject({ low: 'visible', org_only: 'hidden', either: 'maybe' });
    expect(visibilityOf(def, { ...lowScore, low: a('chờ lâu') }).get('either')).toBe('visible'); // any(): one true decides
    const org = { kind: a('org'), score: a(3) };
    expect(Object.fromEntries(visibilityOf(def, org))).toMatchObject({ low: 'hidden', org_only: 'visible', either: 'maybe' });
    expect(visibilityOf(def, { ...org, org_only: a(true) }).get('either')).toBe('visible');
    expect(visibilityOf(def, { ...org, org_only: a(false) }).get('either')).toBe('hidden'); // hidden "low" counts as unanswered
    // "answered" means a real answer: N/A or unanswered (re-ask cap) do not count.
    expect(visibilityOf(def, { kind: a('org'), score: a(null, 'not_applicable') }).get('org_only')).toBe('hidden');
    expect(visibilityOf(def, { kind: a('org'), score: a(null, 'unanswered') }).get('org_only')).toBe('hidden');
  });
});
