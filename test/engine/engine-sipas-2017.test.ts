import { describe, expect, it } from 'vitest';
import { renderPlainText, type TextMessage } from '../../src/engine/index.js';
import { Chat, invitation, openStart } from './driver.js';
import { loadSipas2017 } from './fixtures/definitions.js';
import { UNITS } from './fixtures/units.js';

const SIPAS = loadSipas2017();
const criteria = SIPAS.questions.filter((q) => q.role === 'criterion').map((q) => q.code);

/** What a citizen would type for the question shown as numbered text (as over Zalo). */
function typedReply(prompt: TextMessage, complaint: 'có' | 'không'): string {
  const q = SIPAS.questions.find((x) => x.code === prompt.questionCode)!;
  const plain = renderPlainText(prompt);
  switch (q.kind) {
    case 'likert5':
      return q.code.startsWith('5.') ? 'không ý kiến' : '4';
    case 'yesno':
      return q.role === 'filter' ? complaint : 'không';
    case 'single':
      expect(plain).toContain('\n1. ');
      return '1';
    case 'multi':
      return '1, 2';
    case 'text':
      return 'Cần rút ngắn thời gian trả kết quả.';
  }
}

describe('the real sipas-2017 questionnaire through the engine', () => {
  it('has the 22 criteria "1.1".."5.4" behind one filter', () => {
    expect(criteria).toHaveLength(22);
    expect(criteria[0]).toBe('1.1');
    expect(criteria.at(-1)).toBe('5.4');
  });

  it('an invited citizen answers everything by buttons, including element 5 after saying yes to the filter', () => {
    const chat = new Chat({ definitions: [SIPAS] });
    chat.begin(invitation({}, SIPAS));
    const total = SIPAS.questions.length;
    expect(chat.prompt().progress).toEqual({ current: 1, total });
    let steps = 0;
    while (chat.session?.phase === 'question' && steps++ < 100) {
      const prompt = chat.prompt();
      const q = SIPAS.questions.find((x) => x.code === prompt.questionCode)!;
      expect(prompt.progress?.current).toBe(steps);
      expect(prompt.text.startsWith(`Câu ${steps}/${total}\n${q.text.vi}`)).toBe(true);
      if (q.kind === 'text') chat.text('Không có ý kiến gì thêm.');
      else if (q.kind === 'multi') {
        chat.press('1');
        chat.press('Xong', chat.prompt());
      } else if (q.kind === 'likert5') chat.press('5');
      else if (q.kind === 'yesno') chat.press(q.role === 'filter' ? 'Có' : 'Không');
      else chat.press('1');
    }
    expect(chat.session?.phase).toBe('completed');
    const done = chat.effectsOf('response_completed')[0]!;
    expect(done.answers).toHaveLength(total);
    const scores = done.answers.filter((a) => criteria.includes(a.questionCode)).map((a) => a.score);
    expect(scores).toEqual(Array(22).fill(5));
    expect(chat.lastTexts()).toContain(SIPAS.thanks.vi);
  });

  it('a citizen typing numbered answers (Zalo) who says no to the filter skips element 5 and sees the total shrink', () => {
    const chat = new Chat({ definitions: [SIPAS], channel: 'zalo' });
    chat.send(invitation({}, SIPAS));
    chat.text('1');
    let steps = 0;
    while (chat.session?.phase === 'question' && steps++ < 100) chat.text(typedReply(chat.prompt(), 'không'));
    expect(chat.session?.phase).toBe('completed');
    const answers = chat.effectsOf('response_completed')[0]!.answers;
    const codes = answers.map((a) => a.questionCode);
    expect(codes).not.toContain('5.1');
    expect(answers.filter((a) => criteria.includes(a.questionCode))).toHaveLength(18);
    expect(answers.filter((a) => a.status !== 'answered')).toEqual([]);
    const afterFilter = chat.messages.find((m): m is TextMessage => m.type === 'text' && m.questionCode === 'trips')!;
    const filterAt = SIPAS.questions.findIndex((q) => q.role === 'filter') + 1;
    expect(afterFilter.progress).toEqual({ current: filterAt + 1, total: SIPAS.questions.length - 4 });
  });

  it('element-5 "không ý kiến" answers are recorded as not applicable (excluded from the index)', () => {
    const chat = new Chat({ definitions: [SIPAS], channel: 'zalo' });
    chat.begin(invitation({}, SIPAS));
    while (chat.session?.phase === 'question') chat.text(typedReply(chat.prompt(), 'có'));
    const e5 = chat.effectsOf('response_completed')[0]!.answers.filter((a) => a.questionCode.startsWith('5.'));
    expect(e5.map((a) => a.status)).toEqual(['not_applicable', 'not_applicable', 'not_applicable', 'not_applicable']);
  });

  it('an open survey asks the unit but not a separate procedure step (sipas-2017 asks the field itself)', () => {
    const chat = new Chat({ definitions: [SIPAS], units: UNITS });
    chat.send(openStart(undefined, SIPAS));
    chat.press('Bắt đầu');
    chat.text('UBND phường Điện Biên');
    expect(chat.session?.phase).toBe('question');
    expect(chat.effectsOf('response_started')[0]).toMatchObject({ unitCode: 'PHUONG-DIENBIEN', questionnaire: { code: 'sipas-2017', version: SIPAS.version } });
    expect(chat.prompt().questionCode).toBe(SIPAS.questions[0]!.code);
  });
});
