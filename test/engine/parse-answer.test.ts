import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/engine/parse-answer.js';
import { choiceAnswer } from '../../src/engine/choice-answer.js';
import type { Question } from '../../src/questionnaire/definition-schema.js';
import { MINI } from './fixtures/definitions.js';

const q = (code: string): Question => MINI.questions.find((x) => x.code === code)!;
const value = (code: string, text: string) => {
  const r = parseAnswer(q(code), text);
  return r.ok ? r.answer : { error: r.error };
};

describe('likert answers', () => {
  it.each([
    ['5', 5],
    [' 5 ', 5],
    ['5.', 5],
    ['5)', 5],
    ['５', 5],
    ['1', 1],
    ['rất hài lòng', 5],
    ['Rất Hài Lòng!', 5],
    ['rat hai long', 5],
    ['hài lòng', 4],
    ['hai long', 4],
    ['bình thường', 3],
    ['binh thuong', 3],
    ['không hài lòng', 2],
    ['khong hai long', 2],
    ['rất không hài lòng', 1],
    ['4 - hài lòng', 4],
    ['5 điểm', 5],
    ['3 sao', 3],
  ])('"%s" → %d', (text, score) => {
    expect(value('1.1', text)).toEqual({ status: 'answered', value: score, score });
  });

  it.each(['0', 'không ý kiến', 'Không có ý kiến', 'khong y kien', 'không áp dụng', 'Không có ý kiến / Không áp dụng'])(
    '"%s" is N/A where allowed',
    (text) => {
      expect(value('1.1', text)).toEqual({ status: 'not_applicable', value: null });
    },
  );

  it('refuses N/A where the question does not allow it, explaining why', () => {
    expect(value('1.2', '0')).toEqual({ error: 'Câu này cần một mức đánh giá từ 1 đến 5.' });
    expect(value('1.2', 'không ý kiến')).toEqual({ error: 'Câu này cần một mức đánh giá từ 1 đến 5.' });
  });

  it.each(['6', '45', 'tốt', '', 'có', '4 - rất hài lòng', '1,2', '-1', 'hài'])('"%s" is invalid, with a Vietnamese explanation', (text) => {
    const r = value('1.1', text) as { error?: string };
    expect(r.error).toMatch(/^Xin lỗi, câu trả lời chưa hợp lệ\. Vui lòng chọn một mức từ 1 đến 5/);
  });
});

describe('yes/no answers', () => {
  it.each(['có', 'Có', 'co', 'CÓ.', '1', 'đúng', 'vâng', 'dạ có'])('"%s" → yes', (text) => {
    expect(value('complaint', text)).toEqual({ status: 'answered', value: true });
  });
  it.each(['không', 'khong', 'ko', 'Không.', '2', 'chưa'])('"%s" → no', (text) => {
    expect(value('complaint', text)).toEqual({ status: 'answered', value: false });
  });
  it.each(['3', 'có lẽ', 'dung'])('"%s" is invalid ("dung" could be "dừng")', (text) => {
    expect(value('complaint', text)).toMatchObject({ error: expect.stringContaining('“Có” (1) hoặc “Không” (2)') });
  });
});

describe('single choice', () => {
  it.each([
    ['1', 'male'],
    ['2.', 'female'],
    ['Nữ', 'female'],
    ['nu', 'female'],
    ['NAM', 'male'],
    ['2 - Nữ', 'female'],
  ])('"%s" → %s', (text, v) => {
    expect(value('gender', text)).toEqual({ status: 'answered', value: v });
  });
  it.each(['3', '0', 'khác', '1 - Nữ'])('"%s" is invalid', (text) => {
    expect(value('gender', text)).toEqual({ error: 'Xin lỗi, câu trả lời chưa hợp lệ. Vui lòng chọn một lựa chọn bằng cách gõ số từ 1 đến 2.' });
  });
});

describe('multi choice (typed: the whole answer at once)', () => {
  it.each([
    ['1,3', ['procedures', 'online']],
    ['1 3', ['procedures', 'online']],
    ['3; 1', ['procedures', 'online']],
    ['2', ['attitude']],
    ['thai do, 4', ['attitude', 'facilities']],
    ['Đơn giản hóa thủ tục và cơ sở vật chất', ['procedures', 'facilities']],
    ['1, 1', ['procedures']],
  ])('"%s" → %j', (text, v) => {
    expect(value('expect', text)).toEqual({ status: 'answered', value: v });
  });
  it('enforces maxChoices', () => {
    expect(value('expect', '1,2,3')).toEqual({ error: 'Ông/Bà chỉ được chọn tối đa 2 lựa chọn.' });
  });
  it.each(['5', '1,9', 'abc', ''])('"%s" is invalid', (text) => {
    expect(value('expect', text)).toMatchObject({ error: expect.stringContaining('cách nhau bởi dấu phẩy') });
  });
});

describe('free text', () => {
  it('trims, NFC-normalises and strips control characters', () => {
    const decomposed = 'Thu\u0309 tu\u0323c nhanh'; // "Thủ tục nhanh" in NFD
    expect(value('comment', `  ${decomposed}\u0007\u200B  `)).toEqual({ status: 'answered', value: 'Thủ tục nhanh' });
    expect(value('comment', 'dòng 1\r\ndòng 2')).toEqual({ status: 'answered', value: 'dòng 1\ndòng 2' });
  });
  it('refuses text over the cap instead of truncating it', () => {
    expect(value('comment', 'ý'.repeat(50))).toEqual({ status: 'answered', value: 'ý'.repeat(50) });
    expect(value('comment', 'ý'.repeat(51))).toEqual({
      error: 'Câu trả lời dài 51 ký tự, vượt quá giới hạn 50 ký tự. Vui lòng rút gọn và gửi lại.',
    });
  });
  it('refuses an empty answer', () => {
    expect(value('comment', ' \u0000 ')).toEqual({ error: 'Câu trả lời đang trống. Vui lòng gõ nội dung câu trả lời.' });
  });
});

describe('button values', () => {
  it('map option numbers to answers and reject values that were never rendered', () => {
    expect(choiceAnswer(q('1.1'), '3')).toEqual({ ok: true, answer: { status: 'answered', value: 3, score: 3 } });
    expect(choiceAnswer(q('1.1'), '0')).toEqual({ ok: true, answer: { status: 'not_applicable', value: null } });
    expect(choiceAnswer(q('1.2'), '0').ok).toBe(false);
    expect(choiceAnswer(q('1.1'), '6').ok).toBe(false);
    expect(choiceAnswer(q('complaint'), '1')).toEqual({ ok: true, answer: { status: 'answered', value: true } });
    expect(choiceAnswer(q('complaint'), '2')).toEqual({ ok: true, answer: { status: 'answered', value: false } });
    expect(choiceAnswer(q('gender'), '2')).toEqual({ ok: true, answer: { status: 'answered', value: 'female' } });
    expect(choiceAnswer(q('gender'), '3').ok).toBe(false);
  });
});
