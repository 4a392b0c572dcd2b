import { describe, expect, it } from 'vitest';
import { Chat, DAY, HOUR, INVITATION_ID, T0, invitation, openStart } from './driver.js';

function chatAtQuestion3(opts: ConstructorParameters<typeof Chat>[0] = {}): Chat {
  const chat = new Chat(opts);
  chat.begin();
  chat.text('2');
  chat.text('5');
  return chat;
}

describe('pause and resume', () => {
  it('a week later, /start with the same invitation re-shows exactly the question where the citizen stopped', () => {
    const chat = chatAtQuestion3();
    const { responseId, answers } = chat.session!;
    chat.wait(7 * DAY);
    const r = chat.send(invitation({ status: 'used' })); // the caller may already see it as started
    expect(chat.session?.responseId).toBe(responseId);
    expect(chat.session?.answers).toEqual(answers);
    expect(r.effects).toEqual([]);
    expect(chat.prompt()).toMatchObject({ questionCode: '1.2', progress: { current: 3, total: 8 } });
    expect(chat.prompt().text).toMatch(/^Chào mừng Ông\/Bà quay lại! Khảo sát tiếp tục từ câu Ông\/Bà đang trả lời dở\.\n\nCâu 3\/8/);
    expect(chat.session?.lastActivityAt).toBe(new Date(T0.getTime() + 7 * DAY).toISOString());
    chat.text('rất hài lòng');
    expect(chat.session?.answers['1.2']?.value).toBe(5);
  });

  it('a week later, any message (here a typed answer) simply continues the survey', () => {
    const chat = chatAtQuestion3();
    chat.wait(7 * DAY);
    chat.text('4');
    expect(chat.session?.answers['1.2']?.value).toBe(4);
    expect(chat.session?.current).toBe('complaint');
  });

  it('a bare /start or help during a survey re-shows the current question instead of starting over', () => {
    const chat = chatAtQuestion3();
    chat.wait(3 * DAY);
    chat.send(openStart());
    expect(chat.prompt().questionCode).toBe('1.2');
    chat.text('/start');
    expect(chat.prompt().questionCode).toBe('1.2');
    expect(chat.session?.phase).toBe('question');
  });
});

describe('reminders and expiry', () => {
  it('schedules a timer on start; the timer reminds an idle citizen, then re-schedules; activity postpones it', () => {
    const chat = new Chat({ reminderDelaysMs: [DAY, 3 * DAY], idleLimitMs: 14 * DAY });
    const opened = chat.send(invitation());
    const timer = chat.effectsOf('schedule_reminder', opened.effects)[0]!;
    expect(timer.runAt).toBe(new Date(T0.getTime() + DAY).toISOString());
    expect(timer.jobId).not.toContain(':');
    chat.press('Bắt đầu');
    chat.text('1');

    chat.wait(12 * HOUR); // the citizen was active 12 h ago: too early, re-schedule
    const early = chat.send({ type: 'timer', responseId: timer.responseId });
    expect(early.messages).toEqual([]);
    expect(early.effects).toEqual([expect.objectContaining({ type: 'schedule_reminder', runAt: new Date(T0.getTime() + DAY).toISOString() })]);

    chat.wait(12 * HOUR);
    const reminded = chat.send({ type: 'timer', responseId: timer.responseId });
    expect(chat.lastTexts()).toMatch(/^Ông\/Bà còn một khảo sát đang làm dở\..*\n\nCâu 2\/8/s);
    expect(chat.session?.remindersSent).toBe(1);
    expect(chat.session?.lastActivityAt).toBe(T0.toISOString()); // a reminder is not activity
    expect(chat.effectsOf('schedule_reminder', reminded.effects)[0]?.runAt).toBe(new Date(T0.getTime() + 3 * DAY).toISOString());

    chat.wait(2 * DAY);
    chat.send({ type: 'timer', responseId: timer.responseId });
    expect(chat.session?.remindersSent).toBe(2);
    // No reminders left: the next timer is the idle-expiry check.
    expect(chat.effectsOf('schedule_reminder', chat.last.effects)[0]?.runAt).toBe(new Date(T0.getTime() + 14 * DAY).toISOString());
  });

  it('expires a session idle longer than the limit when the timer fires: response abandoned, reminders cancelled, no message', () => {
    const chat = chatAtQuestion3({ idleLimitMs: 30 * DAY });
    chat.wait(30 * DAY);
    const r = chat.send({ type: 'timer', responseId: chat.session!.responseId });
    expect(chat.session?.phase).toBe('expired');
    expect(r.messages).toEqual([]);
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'response_abandoned', reason: 'idle', invitationId: INVITATION_ID, responseId: chat.session!.responseId }),
      expect.objectContaining({ type: 'cancel_reminders' }),
    ]);
  });

  it('a citizen writing after the idle limit is told politely that the survey expired; the answer is not recorded', () => {
    const chat = chatAtQuestion3({ idleLimitMs: 30 * DAY });
    chat.wait(31 * DAY);
    const r = chat.text('5');
    expect(chat.session?.phase).toBe('expired');
    expect(chat.effectsOf('answer_recorded', r.effects)).toEqual([]);
    expect(chat.effectsOf('response_abandoned', r.effects)).toHaveLength(1);
    expect(chat.lastTexts()).toMatch(/^Phiên khảo sát trước của Ông\/Bà đã hết hạn vì lâu không có trả lời\./);
    chat.text('5');
    expect(chat.last.effects).toEqual([]);
    // The same invitation cannot be answered twice: its response exists (abandoned).
    chat.send(invitation());
    expect(chat.lastTexts()).toContain('Lời mời khảo sát này đã được sử dụng');
  });

  it('after expiry, a new open start begins a fresh survey with a new response', () => {
    const chat = chatAtQuestion3({ idleLimitMs: 30 * DAY });
    const old = chat.session!.responseId;
    chat.wait(40 * DAY);
    const r = chat.send(openStart());
    expect(r.effects.map((e) => e.type)).toEqual(['response_abandoned', 'cancel_reminders', 'schedule_reminder']);
    expect(chat.session?.phase).toBe('consent');
    expect(chat.session?.responseId).not.toBe(old);
    expect(chat.lastTexts()).toContain('đã hết hạn');
  });

  it('ignores timers of another response or of an ended session', () => {
    const chat = chatAtQuestion3();
    chat.wait(2 * DAY);
    const other = chat.send({ type: 'timer', responseId: '00000000-0000-4000-8000-0000000000ff' });
    expect(other).toMatchObject({ messages: [], effects: [] });
    chat.text('/stop');
    const after = chat.send({ type: 'timer', responseId: chat.session!.responseId });
    expect(after).toMatchObject({ messages: [], effects: [] });
  });
});

describe('invitations', () => {
  it('an unknown or expired token gets a polite message and records nothing', () => {
    const chat = new Chat();
    const unknown = chat.send({ type: 'start', start: { kind: 'unknown_invitation', token: 'zzz' } });
    expect(unknown).toMatchObject({ session: null, effects: [] });
    expect(chat.lastTexts()).toBe('Mã khảo sát không đúng hoặc không tồn tại. Vui lòng kiểm tra lại đường liên kết hoặc mã khảo sát.');
    const expired = chat.send(invitation({ status: 'expired' }));
    expect(expired).toMatchObject({ session: null, effects: [] });
    expect(chat.lastTexts()).toBe('Lời mời khảo sát này đã hết hạn. Xin cảm ơn Ông/Bà đã quan tâm.');
  });

  it('an already used token says so politely; an ongoing survey is shown again after the notice', () => {
    const chat = new Chat();
    chat.send(invitation({ status: 'used' }));
    expect(chat.session).toBeNull();
    expect(chat.lastTexts()).toBe('Lời mời khảo sát này đã được sử dụng. Mỗi lời mời chỉ được trả lời một lần. Xin cảm ơn Ông/Bà!');
    const busy = chatAtQuestion3();
    const r = busy.send(invitation({ id: 'b0000000-0000-4000-8000-000000000002', status: 'used' }));
    expect(r.effects).toEqual([]);
    expect(busy.prompt().text).toMatch(/^Lời mời khảo sát này đã được sử dụng\..*\n\nÔng\/Bà vẫn đang có một khảo sát làm dở:\n\nCâu 3\/8/s);
  });

  it('a new usable invitation replaces an unfinished survey, whose response is marked abandoned', () => {
    const chat = chatAtQuestion3();
    const old = chat.session!.responseId;
    const r = chat.send(invitation({ id: 'b0000000-0000-4000-8000-000000000002' }));
    expect(r.effects.map((e) => e.type)).toEqual(['response_abandoned', 'cancel_reminders', 'invitation_opened', 'schedule_reminder']);
    expect(r.effects[0]).toMatchObject({ responseId: old, reason: 'replaced' });
    expect(chat.session?.invitationId).toBe('b0000000-0000-4000-8000-000000000002');
    expect(chat.prompt().text).toMatch(/^Khảo sát Ông\/Bà đang làm dở trước đó đã được đóng lại/);
  });

  it('an unknown questionnaire version is reported, not crashed on', () => {
    const chat = new Chat();
    chat.send(invitation({ questionnaire: { code: 'mini', version: 99 } }));
    expect(chat.session).toBeNull();
    expect(chat.lastTexts()).toBe('Xin lỗi, khảo sát này hiện không còn khả dụng. Xin cảm ơn Ông/Bà đã quan tâm.');
  });
});

describe('/stop, /help and other messages', () => {
  it('/stop (or "dừng") opts out: no further reminders, polite goodbye, nothing else recorded', () => {
    for (const stop of [{ type: 'stop' } as const, { type: 'text', text: 'dừng' } as const, { type: 'text', text: '/stop' } as const]) {
      const chat = chatAtQuestion3();
      const r = chat.send(stop);
      expect(chat.session?.phase).toBe('opted_out');
      expect(r.effects).toEqual([
        expect.objectContaining({ type: 'opted_out', reason: 'stop', responseStarted: true, invitationId: INVITATION_ID, responseId: chat.session!.responseId }),
        expect.objectContaining({ type: 'cancel_reminders' }),
      ]);
      expect(chat.lastTexts()).toBe('Ông/Bà đã dừng khảo sát. Chúng tôi sẽ không gửi thêm nhắc nhở. Xin cảm ơn Ông/Bà đã dành thời gian! Nếu muốn tham gia lại, hãy gửi /start.');
      chat.text('5');
      expect(chat.last.effects).toEqual([]);
      expect(chat.lastTexts()).toBe('Ông/Bà đã dừng khảo sát. Nếu muốn tham gia lại, hãy gửi /start.');
    }
  });

  it('/stop without a survey still records the opt-out', () => {
    const chat = new Chat();
    const r = chat.send({ type: 'stop' });
    expect(r.session).toBeNull();
    expect(r.effects).toEqual([expect.objectContaining({ type: 'opted_out', reason: 'stop', responseStarted: false })]);
    expect(r.effects[0]).not.toHaveProperty('responseId');
  });

  it('/help (or "trợ giúp") explains how to answer and shows the current question again', () => {
    for (const help of [{ type: 'help' } as const, { type: 'text', text: 'trợ giúp' } as const, { type: 'text', text: '/help' } as const]) {
      const chat = chatAtQuestion3();
      const r = chat.send(help);
      expect(r.effects).toEqual([]);
      expect(chat.session?.current).toBe('1.2');
      expect(chat.session?.attempts).toBe(0);
      expect(chat.prompt().text).toMatch(/^Hướng dẫn trả lời khảo sát:\n• Mỗi lần một câu hỏi.*“quay lại” \(\/back\).*“bỏ qua”.*“dừng” \(\/stop\).*\n\nCâu 3\/8/s);
    }
  });

  it('a shared phone number is thanked for but never stored in the session', () => {
    const chat = chatAtQuestion3();
    const r = chat.send({ type: 'contact', phone: '+84912345678' });
    expect(JSON.stringify(chat.session)).not.toContain('912345678');
    expect(JSON.stringify(r.effects)).not.toContain('912345678');
    expect(chat.prompt().text).toMatch(/^Xin cảm ơn Ông\/Bà đã chia sẻ thông tin\.\n\nCâu 3\/8/);
  });

  it('a message without any survey gets a greeting that explains how to start', () => {
    const chat = new Chat();
    const r = chat.text('xin chào');
    expect(r).toMatchObject({ session: null, effects: [] });
    expect(chat.lastTexts()).toContain('Đây là kênh khảo sát mức độ hài lòng');
  });
});

describe('coming back after /stop or declining', () => {
  it('the same invitation link after /stop continues where the citizen stopped and re-opens the response', () => {
    const chat = chatAtQuestion3();
    chat.text('dừng');
    chat.wait(2 * DAY);
    const r = chat.send(invitation({ status: 'used' }));
    expect(chat.session?.phase).toBe('question');
    expect(chat.session?.current).toBe('1.2');
    expect(r.effects.map((e) => e.type)).toEqual(['response_resumed', 'schedule_reminder']);
    expect(r.effects[0]).toMatchObject({ responseStarted: true, invitationId: INVITATION_ID });
    expect(chat.prompt().text).toMatch(/^Chào mừng Ông\/Bà quay lại!.*\n\nCâu 3\/8/s);
  });

  it('"/start" typed as text (as Zalo passes it) also reopens a stopped survey', () => {
    const chat = chatAtQuestion3({ channel: 'zalo' });
    chat.text('/stop');
    chat.text('/start');
    expect(chat.session?.phase).toBe('question');
    expect(chat.prompt().questionCode).toBe('1.2');
  });

  it('after declining, /start shows the consent again', () => {
    const chat = new Chat();
    chat.send(invitation());
    chat.press('Từ chối');
    chat.send(openStart());
    expect(chat.session?.phase).toBe('consent');
    expect(chat.session?.invitationId).toBe(INVITATION_ID);
    expect(chat.effectsOf('response_resumed', chat.last.effects)[0]).toMatchObject({ responseStarted: false });
  });

  it('after the idle limit a stopped invitation cannot be reopened (one response per invitation)', () => {
    const chat = chatAtQuestion3({ idleLimitMs: 30 * DAY });
    chat.text('dừng');
    chat.wait(31 * DAY);
    chat.send(invitation({ status: 'used' }));
    expect(chat.session?.phase).toBe('opted_out');
    expect(chat.lastTexts()).toContain('Lời mời khảo sát này đã được sử dụng');
  });

  it('"/start" typed with no session starts the context’s open survey, or explains how to start', () => {
    const withOpen = new Chat({ openSurvey: { code: 'mini', version: 1 } });
    withOpen.text('/start');
    expect(withOpen.session?.phase).toBe('consent');
    const without = new Chat();
    without.text('/start');
    expect(without.session).toBeNull();
    expect(without.lastTexts()).toContain('Để bắt đầu');
  });
});
