import type { Question } from '../questionnaire/definition-schema.js';
import { LIKERT_LABELS, NOT_APPLICABLE_LABEL } from '../questionnaire/likert-scale.js';
import type { AnswerInput } from './common-schemas.js';
import { matchOption, splitNumbered } from './match-option.js';
import { VI } from './messages-vi.js';
import { foldText, normalizeText, textLength } from './normalize-text.js';

export type ParseResult = { ok: true; answer: AnswerInput } | { ok: false; error: string };

const ok = (answer: AnswerInput): ParseResult => ({ ok: true, answer });
const fail = (error: string): ParseResult => ({ ok: false, error });

const NA = 0;
const LIKERT_WORDS = new Map<string, number>([
  ...([1, 2, 3, 4, 5] as const).map((l) => [foldText(LIKERT_LABELS[l].vi), l] as [string, number]),
  [foldText(NOT_APPLICABLE_LABEL.vi), NA],
  ['khong y kien', NA],
  ['khong co y kien', NA],
  ['khong ap dung', NA],
  ['khong biet', NA],
  ['na', NA],
  ['n/a', NA],
]);
/** Units people append to a score: "5 điểm", "5 sao". */
const SCORE_SUFFIX = new Set(['', 'diem', 'sao']);

function parseLikert(text: string, allowNa: boolean): ParseResult {
  const folded = foldText(text);
  let level = LIKERT_WORDS.get(folded);
  const numbered = level === undefined ? splitNumbered(folded) : null;
  if (numbered && numbered.number <= 5) {
    const rest = numbered.rest;
    if (SCORE_SUFFIX.has(rest) || LIKERT_WORDS.get(rest) === numbered.number) level = numbered.number;
  }
  if (level === undefined) return fail(VI.invalid.likert(allowNa));
  if (level === NA) return allowNa ? ok({ status: 'not_applicable', value: null }) : fail(VI.invalid.naNotAllowed);
  return ok({ status: 'answered', value: level, score: level });
}

const YES = new Set(['co', 'c', '1', 'yes', 'y', 'vang', 'da co', 'co a', 'da', 'u', 'uh', 'roi', 'da roi', 'co roi']);
const NO = new Set(['khong', 'ko', 'k', 'kh', 'hong', '2', 'no', 'n', 'khong a', 'chua', 'chua a', 'khong co', 'chua co']);

function parseYesNo(text: string): ParseResult {
  // "đúng" (yes) and "dừng" (stop) both fold to "dung": only the accented form counts as yes.
  if (normalizeText(text).toLowerCase().replace(/[.!]+$/, '') === 'đúng') return ok({ status: 'answered', value: true });
  const folded = foldText(text);
  if (YES.has(folded)) return ok({ status: 'answered', value: true });
  if (NO.has(folded)) return ok({ status: 'answered', value: false });
  return fail(VI.invalid.yesno);
}

function parseMulti(q: Extract<Question, { kind: 'multi' }>, text: string): ParseResult {
  const folded = foldText(text);
  const onlyNumbers = /^\d+(?:[\s,;.+&/-]+\d+)*$/.test(folded);
  const parts = onlyNumbers ? folded.split(/[\s,;.+&/-]+/) : folded.split(/\s*[,;]\s*|\s+va\s+/);
  const picked: number[] = [];
  for (const part of parts.filter(Boolean)) {
    const i = matchOption(q.options, part);
    if (i < 0) return fail(VI.invalid.multi(q.options.length));
    if (!picked.includes(i)) picked.push(i);
  }
  if (picked.length === 0) return fail(VI.invalid.multi(q.options.length));
  if (q.maxChoices && picked.length > q.maxChoices) return fail(VI.invalid.multiTooMany(q.maxChoices));
  picked.sort((a, b) => a - b);
  return ok({ status: 'answered', value: picked.map((i) => q.options[i]!.value) });
}

/** Parses a typed reply to a question. Commands ("bỏ qua", "quay lại", …) are handled before this. */
export function parseAnswer(question: Question, text: string): ParseResult {
  switch (question.kind) {
    case 'likert5':
      return parseLikert(text, question.allowNa);
    case 'yesno':
      return parseYesNo(text);
    case 'single': {
      const i = matchOption(question.options, foldText(text));
      return i < 0 ? fail(VI.invalid.single(question.options.length)) : ok({ status: 'answered', value: question.options[i]!.value });
    }
    case 'multi':
      return parseMulti(question, text);
    case 'text': {
      const clean = normalizeText(text);
      if (!clean) return fail(VI.invalid.textEmpty);
      const length = textLength(clean);
      if (length > question.maxLength) return fail(VI.invalid.textTooLong(length, question.maxLength));
      return ok({ status: 'answered', value: clean });
    }
  }
}
