import { describe, expect, it } from 'vitest';
import { Chat } from './driver.js';

function chatThrough(replies: string[]): Chat {
  const chat = new Chat();
  chat.begin();
  for (const r of replies) chat.text(r);
  return chat;
}

describe('going back', () => {
  it('"quay lại" shows the previous question with its current answer; a new answer replaces it (newer seq) and returns to where the citizen was', () => {
    const chat = chatThrough(['1', '4', '3']); // at "complaint"
    const oldSeq = chat.session!.answers['1.2']!.seq;
    const back = chat.text('quay lại');
    expect(back.effects).toEqual([]);
    expect(back.messages[0]).toMatchObject({ type: 'close_keyboard', questionCode: 'complaint', chosenLabel: null });
    expect(chat.session?.current).toBe('1.2');
    expect(chat.prompt().text).toContain('Câu 3/8\nTrang thiết bị phục vụ đầy đủ.\n\nCâu trả lời hiện tại: 3 – Bình thường. Chọn lại để thay đổi.');
    chat.text('quay lại');
    expect(chat.session?.current).toBe('1.1');
    chat.text('/back');
    expect(chat.session?.current).toBe('gender');
    const first = chat.text('/back');
    expect(first.effects).toEqual([]);
    expect(chat.prompt().text).toMatch(/^Đây là câu hỏi đầu tiên, không thể quay lại thêm\./);

    chat.send({ type: 'back' }); // the channel's own back event behaves the same
    expect(chat.session?.current).toBe('gender');
    chat.text('2');
    // Back to the first unanswered question, not through 1.1 and 1.2 again.
    expect(chat.session?.current).toBe('complaint');
    expect(chat.session?.answers.gender?.value).toBe('female');
    expect(chat.session!.answers.gender!.seq).toBeGreaterThan(oldSeq);
    expect(chat.session?.answers['1.2']?.value).toBe(3);
  });

  it('offers a "Quay lại" button from question 2 on, tied to the question it was rendered for', () => {
    const chat = chatThrough(['1']);
    const q2 = chat.prompt();
    expect(q2.options?.at(-1)).toMatchObject({ label: '⬅️ Quay lại', data: 'a:1.1:back', role: 'control' });
    chat.press('⬅️ Quay lại', q2);
    expect(chat.session?.current).toBe('gender');
    // The same old button again is now stale: it must not go back a second time.
    const version = chat.session!.version;
    chat.press('⬅️ Quay lại', q2);
    expect(chat.session?.current).toBe('gender');
    expect(chat.session?.version).toBe(version);
  });

  it('changing the filter answer from "có" to "không" drops the answers that no longer apply', () => {
    const chat = chatThrough(['1', '4', '4', 'có', '5', '4']); // answered 5.1 and 5.2, now at "expect"
    expect(chat.prompt().progress).toEqual({ current: 7, total: 8 });
    for (let i = 0; i < 3; i++) chat.text('quay lại');
    expect(chat.session?.current).toBe('complaint');
    const changed = chat.text('không');
    const seq = chat.session!.version;
    expect(changed.effects).toEqual([
      expect.objectContaining({ type: 'answer_recorded', questionCode: 'complaint', value: false, seq }),
      expect.objectContaining({ type: 'answer_removed', questionCode: '5.1', seq }),
      expect.objectContaining({ type: 'answer_removed', questionCode: '5.2', seq }),
    ]);
    expect(Object.keys(chat.session!.answers)).not.toContain('5.1');
    expect(chat.session?.current).toBe('expect');
    expect(chat.prompt().progress).toEqual({ current: 5, total: 6 });
    chat.text('1');
    chat.text('bỏ qua');
    const codes = chat.effectsOf('response_completed')[0]!.answers.map((a) => a.questionCode);
    expect(codes).toEqual(['gender', '1.1', '1.2', 'complaint', 'expect', 'comment']);
  });

  it('changing the filter from "không" to "có" asks the newly applicable questions next', () => {
    const chat = chatThrough(['1', '4', '4', 'không']); // at "expect"
    chat.text('quay lại');
    chat.text('có');
    expect(chat.session?.current).toBe('5.1');
    expect(chat.prompt().progress).toEqual({ current: 5, total: 8 });
    chat.text('4');
    expect(chat.session?.current).toBe('5.2');
  });
});

describe('stale keyboards', () => {
  it('a press on an earlier question’s keyboard changes nothing and is answered politely with the current question', () => {
    const chat = chatThrough([]);
    const q1 = chat.prompt();
    chat.press('Nam', q1);
    const before = chat.session!;
    const r = chat.press('Nữ', q1);
    expect(r.session).toBe(before); // same object: nothing to write
    expect(r.effects).toEqual([]);
    expect(r.messages[0]).toMatchObject({ type: 'close_keyboard', questionCode: 'gender', chosenLabel: 'Nam' });
    expect(chat.prompt().text).toMatch(/^Lựa chọn này thuộc một câu hỏi đã qua nên không được ghi nhận\. Nếu muốn sửa câu trả lời, gõ “quay lại”\./);
    expect(chat.prompt().questionCode).toBe('1.1');
    expect(chat.session?.answers.gender?.value).toBe('male');
  });

  it('a double press (two updates for the same keyboard) records one answer', () => {
    const chat = chatThrough([]);
    const q1 = chat.prompt();
    chat.press('Nam', q1);
    chat.press('Nam', q1);
    expect(chat.effectsOf('answer_recorded')).toHaveLength(1);
  });

  it('the consent keyboard pressed again during the questions is stale; so is any press after the end', () => {
    const chat = new Chat();
    chat.send({ type: 'start', start: { kind: 'open', questionnaire: { code: 'mini', version: 1 } } });
    const consent = chat.prompt();
    chat.press('Bắt đầu', consent);
    chat.text('Bỏ qua'); // procedure
    const v = chat.session!.version;
    chat.press('Từ chối', consent);
    expect(chat.session?.phase).toBe('question');
    expect(chat.session?.version).toBe(v);
    for (const t of ['1', '4', '4', 'không', 'bỏ qua']) chat.text(t);
    const last = chat.prompt();
    chat.text('bỏ qua');
    expect(chat.session?.phase).toBe('completed');
    const r = chat.press('Bỏ qua', last);
    expect(r.effects).toEqual([]);
    expect(chat.lastTexts()).toBe('Khảo sát đã kết thúc, lựa chọn này không được ghi nhận.');
  });

  it('a button value that was never rendered for the current question is an invalid answer, not a crash', () => {
    const chat = chatThrough([]);
    chat.send({ type: 'choice', questionCode: 'gender', value: '9' });
    expect(chat.session?.attempts).toBe(1);
    chat.send({ type: 'choice', questionCode: 'nope', value: '1' });
    expect(chat.session?.attempts).toBe(1);
  });
});
