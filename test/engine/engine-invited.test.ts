import { describe, expect, it } from 'vitest';
import { Chat, INVITATION_ID, invitation } from './driver.js';

describe('invited survey, start to thank-you', () => {
  it('asks consent first, then one question at a time with progress, and completes with every answer', () => {
    const chat = new Chat();
    const opened = chat.send(invitation());
    expect(chat.session?.phase).toBe('consent');
    expect(chat.session?.version).toBe(1);
    expect(opened.effects.map((e) => e.type)).toEqual(['invitation_opened', 'schedule_reminder']);
    const consent = chat.prompt();
    expect(consent.text).toContain('Xin chào Ông/Bà');
    expect(consent.text).toContain('UBND xã Tân Phong');
    expect(consent.options?.map((o) => o.label)).toEqual(['Bắt đầu', 'Từ chối']);
    expect(consent.questionCode).toBe('@consent');

    const begun = chat.press('Bắt đầu');
    expect(begun.effects.map((e) => e.type)).toEqual(['response_started', 'invitation_started']);
    expect(begun.effects[0]).toMatchObject({
      responseId: chat.session!.responseId,
      questionnaire: { code: 'mini', version: 1 },
      unitCode: 'XA-TANPHONG',
      invitationId: INVITATION_ID,
      procedureCode: '1.001234',
      channel: 'telegram',
      at: '2025-03-03T08:00:00.000Z',
    });
    expect(begun.messages[0]).toMatchObject({ type: 'close_keyboard', questionCode: '@consent', chosenLabel: 'Bắt đầu' });
    // 8 questions may be asked: the two element-5 questions count until the filter is answered.
    expect(chat.prompt()).toMatchObject({ questionCode: 'gender', progress: { current: 1, total: 8 } });
    expect(chat.prompt().text.startsWith('Câu 1/8\nGiới tính của Ông/Bà?')).toBe(true);

    chat.text('Nữ');
    expect(chat.effectsOf('answer_recorded', chat.last.effects)).toEqual([
      expect.objectContaining({ questionCode: 'gender', status: 'answered', value: 'female', seq: chat.session!.version }),
    ]);
    expect(chat.prompt()).toMatchObject({ questionCode: '1.1', progress: { current: 2, total: 8 } });

    chat.press('Hài lòng');
    expect(chat.last.messages[0]).toMatchObject({ type: 'close_keyboard', questionCode: '1.1', chosenLabel: '4 – Hài lòng', messageId: expect.any(String) });
    chat.text(' 5 ');
    chat.text('không');
    // The filter said no: 5.1 and 5.2 drop out of the total.
    expect(chat.prompt()).toMatchObject({ questionCode: 'expect', progress: { current: 5, total: 6 } });
    chat.text('1,3');
    const done = chat.text('  Cần   rút ngắn thời gian chờ.  ');

    expect(chat.session?.phase).toBe('completed');
    expect(chat.lastTexts()).toContain('Xin trân trọng cảm ơn Ông/Bà đã tham gia khảo sát!');
    const completed = chat.effectsOf('response_completed', done.effects)[0]!;
    expect(completed.invitationId).toBe(INVITATION_ID);
    expect(completed.answers.map((a) => [a.questionCode, a.status, a.value, a.score])).toEqual([
      ['gender', 'answered', 'female', undefined],
      ['1.1', 'answered', 4, 4],
      ['1.2', 'answered', 5, 5],
      ['complaint', 'answered', false, undefined],
      ['expect', 'answered', ['procedures', 'online'], undefined],
      ['comment', 'answered', 'Cần   rút ngắn thời gian chờ.', undefined],
    ]);
    expect(done.effects.map((e) => e.type)).toEqual(['answer_recorded', 'response_completed', 'cancel_reminders']);
    // Every answer carries the version of the session that recorded it, strictly increasing.
    const seqs = chat.effectsOf('answer_recorded').map((a) => a.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(chat.session!.version).toBe(seqs.at(-1));
  });

  it('answers after completion are not recorded and the citizen is told the survey is done', () => {
    const chat = new Chat();
    chat.begin();
    for (const t of ['1', '4', '4', 'có', '5', '5', 'bỏ qua', 'bỏ qua']) chat.text(t);
    expect(chat.session?.phase).toBe('completed');
    const version = chat.session!.version;
    const r = chat.text('5');
    expect(r.effects).toEqual([]);
    expect(chat.session!.version).toBe(version);
    expect(chat.lastTexts()).toContain('Ông/Bà đã hoàn thành khảo sát');
  });

  it('a second /start with the token of a completed invitation says so politely and records nothing', () => {
    const chat = new Chat();
    chat.begin();
    for (const t of ['1', '4', '4', 'không', 'bỏ qua', 'bỏ qua']) chat.text(t);
    expect(chat.session?.phase).toBe('completed');
    // Even if the caller's status lags ("usable"), the engine remembers this invitation was answered.
    const again = chat.send(invitation());
    expect(again.effects).toEqual([]);
    expect(chat.lastTexts()).toContain('Lời mời khảo sát này đã được sử dụng');
    const used = chat.send(invitation({ status: 'used' }));
    expect(used.effects).toEqual([]);
    expect(chat.lastTexts()).toContain('Mỗi lời mời chỉ được trả lời một lần');
  });
});
