import { describe, expect, it } from 'vitest';
import { Chat } from './driver.js';

/** A chat already at question `code` of the mini survey. */
function chatAt(code: string, opts: ConstructorParameters<typeof Chat>[0] = {}): Chat {
  const chat = new Chat(opts);
  chat.begin();
  const answers: Record<string, string> = { gender: '1', '1.1': '4', '1.2': '4', complaint: 'có', '5.1': '5', '5.2': '5', expect: '1' };
  while (chat.session?.current !== code) {
    const current = chat.session!.current!;
    chat.text(answers[current]!);
  }
  return chat;
}

describe('answering by button and by typing', () => {
  it('takes a likert answer from a button press and closes that keyboard with the chosen label', () => {
    const chat = chatAt('1.1');
    const r = chat.press('5');
    expect(r.messages[0]).toEqual({ type: 'close_keyboard', questionCode: '1.1', chosenLabel: '5 – Rất hài lòng', messageId: expect.stringMatching(/^msg-/) });
    expect(chat.session?.answers['1.1']).toMatchObject({ status: 'answered', value: 5, score: 5 });
  });

  it('records N/A from the button and from typed "0" / "không ý kiến" as not_applicable, without a score', () => {
    const byButton = chatAt('1.1');
    byButton.press('Không có ý kiến / Không áp dụng');
    expect(byButton.effectsOf('answer_recorded').at(-1)).toMatchObject({ questionCode: '1.1', status: 'not_applicable', value: null });
    expect(byButton.effectsOf('answer_recorded').at(-1)).not.toHaveProperty('score');
    for (const typed of ['0', 'không ý kiến', 'Khong co y kien']) {
      const chat = chatAt('1.1');
      chat.text(typed);
      expect(chat.session?.answers['1.1']?.status).toBe('not_applicable');
    }
  });

  it('offers no N/A button where the questionnaire does not allow it', () => {
    const chat = chatAt('1.2');
    expect(chat.prompt().options?.map((o) => o.number).filter(Boolean)).toEqual(['1', '2', '3', '4', '5']);
    chat.text('0');
    expect(chat.session?.current).toBe('1.2');
    expect(chat.prompt().text).toMatch(/^Câu này cần một mức đánh giá từ 1 đến 5\.\n\nCâu 3\/8/);
  });

  it('takes yes/no as buttons, words or numbers', () => {
    const chat = chatAt('complaint');
    expect(chat.prompt().options?.map((o) => o.label)).toEqual(['Có', 'Không', '⬅️ Quay lại']);
    chat.press('Không');
    expect(chat.session?.answers.complaint?.value).toBe(false);
    const typed = chatAt('complaint');
    typed.text('2');
    expect(typed.session?.answers.complaint?.value).toBe(false);
  });
});

describe('invalid answers and the re-ask cap', () => {
  it('explains in Vietnamese and re-asks the same question; after 3 invalid replies records it as unanswered and moves on', () => {
    const chat = chatAt('1.1');
    const version = chat.session!.version;
    chat.text('tuyệt vời');
    expect(chat.session?.current).toBe('1.1');
    expect(chat.session?.attempts).toBe(1);
    expect(chat.session?.version).toBe(version + 1);
    expect(chat.last.effects).toEqual([]);
    expect(chat.prompt().text).toMatch(/^Xin lỗi, câu trả lời chưa hợp lệ\. Vui lòng chọn một mức từ 1 đến 5 .*\n\nCâu 2\/8\nNơi ngồi chờ/s);
    chat.text('10');
    expect(chat.session?.current).toBe('1.1');
    const capped = chat.text('hmm');
    expect(capped.effects).toEqual([expect.objectContaining({ type: 'answer_recorded', questionCode: '1.1', status: 'unanswered', value: null, seq: chat.session!.version })]);
    expect(chat.session?.current).toBe('1.2');
    expect(chat.session?.attempts).toBe(0);
    expect(chat.lastTexts()).toContain('Chúng tôi chưa nhận được câu trả lời hợp lệ nên tạm bỏ qua câu này.');
    expect(capped.messages[0]).toMatchObject({ type: 'close_keyboard', questionCode: '1.1', chosenLabel: null });
  });

  it('honours a configured cap', () => {
    const chat = chatAt('1.1', { maxAttempts: 1 });
    chat.text('abc');
    expect(chat.session?.answers['1.1']?.status).toBe('unanswered');
  });

  it('keeps an earlier valid answer when the cap is reached on a question revisited with "quay lại"', () => {
    const chat = chatAt('1.2');
    chat.text('quay lại');
    expect(chat.session?.current).toBe('1.1');
    for (const t of ['x', 'y', 'z']) chat.text(t);
    expect(chat.session?.answers['1.1']).toMatchObject({ status: 'answered', value: 4 });
    expect(chat.session?.current).toBe('1.2');
    expect(chat.lastTexts()).toContain('giữ nguyên câu trả lời trước đó');
  });

  it('counts "bỏ qua" on a required question as an invalid reply (it cannot be skipped)', () => {
    const chat = chatAt('1.1');
    chat.text('bỏ qua');
    expect(chat.session?.current).toBe('1.1');
    expect(chat.prompt().text).toMatch(/^Câu này cần được trả lời, không thể bỏ qua\. Nếu không có ý kiến, gõ 0\./);
  });
});

describe('optional questions', () => {
  it('"bỏ qua" (typed or button) records an optional question as unanswered', () => {
    const chat = new Chat();
    chat.begin();
    expect(chat.prompt().options?.map((o) => o.label)).toContain('Bỏ qua');
    chat.text('Bỏ qua');
    expect(chat.session?.answers.gender).toMatchObject({ status: 'unanswered', value: null });
    expect(chat.prompt().text).toMatch(/^Đã bỏ qua câu này\.\n\nCâu 2\/8/);
    const byButton = new Chat();
    byButton.begin();
    byButton.press('Bỏ qua');
    expect(byButton.session?.answers.gender?.status).toBe('unanswered');
  });
});

describe('multi choice', () => {
  it('toggles with buttons (editing the same message), confirms with "Xong"', () => {
    const chat = chatAt('expect');
    const question = chat.prompt();
    chat.press('1', question);
    expect(chat.session?.multiDraft).toEqual(['procedures']);
    expect(chat.prompt()).toMatchObject({ editMessageId: expect.stringMatching(/^msg-/) });
    expect(chat.prompt().options?.find((o) => o.number === '1')?.selected).toBe(true);
    expect(chat.prompt().text).toContain('Đã chọn: Đơn giản hóa thủ tục.');
    chat.press('3', chat.prompt());
    chat.press('1', chat.prompt()); // untoggle
    expect(chat.session?.multiDraft).toEqual(['online']);
    expect(chat.last.effects).toEqual([]); // nothing recorded until confirmed
    chat.press('4', chat.prompt());
    chat.press('Xong', chat.prompt());
    expect(chat.session?.answers.expect).toMatchObject({ status: 'answered', value: ['online', 'facilities'] });
    expect(chat.session?.current).toBe('comment');
  });

  it('refuses a third toggle over maxChoices and an empty "Xong"', () => {
    const chat = chatAt('expect');
    chat.press('Xong');
    expect(chat.prompt().text).toMatch(/^Ông\/Bà chưa chọn lựa chọn nào/);
    chat.press('1', chat.prompt());
    chat.press('2', chat.prompt());
    chat.press('3', chat.prompt());
    expect(chat.prompt().text).toMatch(/^Ông\/Bà chỉ được chọn tối đa 2 lựa chọn\./);
    expect(chat.session?.multiDraft).toEqual(['procedures', 'attitude']);
    chat.text('xong');
    expect(chat.session?.answers.expect?.value).toEqual(['procedures', 'attitude']);
  });

  it('takes a typed list as the whole answer', () => {
    const chat = chatAt('expect');
    chat.text('2 4');
    expect(chat.session?.answers.expect?.value).toEqual(['attitude', 'facilities']);
  });
});

describe('free text', () => {
  it('refuses text over the length cap with the counts, re-asks, then accepts a shorter one', () => {
    const chat = chatAt('comment');
    chat.text('Thủ tục còn rườm rà, phải đi lại nhiều lần mới xong hồ sơ ạ.');
    expect(chat.session?.current).toBe('comment');
    expect(chat.prompt().text).toMatch(/^Câu trả lời dài 60 ký tự, vượt quá giới hạn 50 ký tự\. Vui lòng rút gọn và gửi lại\./);
    chat.text('Thủ tục còn rườm rà.');
    expect(chat.effectsOf('response_completed')[0]?.answers.at(-1)).toMatchObject({ questionCode: 'comment', value: 'Thủ tục còn rườm rà.' });
  });

  it('treats an unknown slash command as a request for help, never as an answer', () => {
    const chat = chatAt('comment');
    chat.text('/abc');
    expect(chat.session?.current).toBe('comment');
    expect(chat.lastTexts()).toContain('Hướng dẫn trả lời khảo sát:');
  });
});
