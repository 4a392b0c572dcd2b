import { describe, expect, it } from 'vitest';
import { Chat, openStart } from './driver.js';
import { UNITS } from './fixtures/units.js';

describe('open survey (bare /start or a unit QR code)', () => {
  it('after consent asks which unit, matching a typed name without diacritics, then the procedure', () => {
    const chat = new Chat({ units: UNITS });
    chat.send(openStart());
    expect(chat.prompt().text).not.toContain('Đơn vị được khảo sát');
    chat.press('Bắt đầu');
    expect(chat.session?.phase).toBe('unit');
    expect(chat.prompt().text).toContain('Ông/Bà đã thực hiện thủ tục hành chính tại cơ quan, đơn vị nào?');
    expect(chat.last.effects).toEqual([]); // no response before the unit is known

    chat.text('so tu phap');
    expect(chat.session?.unit).toEqual({ code: 'SO-TUPHAP', name: 'Sở Tư pháp' });
    expect(chat.session?.phase).toBe('procedure');
    expect(chat.prompt().text).toBe('Đơn vị: Sở Tư pháp.\n\nÔng/Bà đã thực hiện thủ tục hành chính gì? (ví dụ: đăng ký khai sinh, cấp giấy phép xây dựng)');

    const started = chat.text('  Đăng ký khai sinh ');
    expect(started.effects[0]).toMatchObject({ type: 'response_started', unitCode: 'SO-TUPHAP', procedureText: 'Đăng ký khai sinh' });
    expect(started.effects[0]).not.toHaveProperty('invitationId');
    expect(chat.prompt()).toMatchObject({ questionCode: 'gender', progress: { current: 1, total: 8 } });
  });

  it('matches a typed unit code case-insensitively and lets the procedure be skipped', () => {
    const chat = new Chat({ units: UNITS });
    chat.send(openStart());
    chat.text('đồng ý');
    chat.text('so-xaydung');
    expect(chat.session?.unit?.code).toBe('SO-XAYDUNG');
    chat.press('Bỏ qua');
    expect(chat.effectsOf('response_started')[0]).not.toHaveProperty('procedureText');
    expect(chat.session?.phase).toBe('question');
  });

  it('offers at most 8 matching units as choices when the name is ambiguous; a number or a button picks one', () => {
    const chat = new Chat({ units: UNITS });
    chat.send(openStart());
    chat.press('Bắt đầu');
    chat.text('xa tan');
    const offer = chat.prompt();
    expect(offer.text).toBe('Có 9 đơn vị phù hợp, dưới đây là 8 đơn vị đầu tiên. Vui lòng chọn một đơn vị hoặc gõ tên cụ thể hơn:');
    expect(offer.options).toHaveLength(8);
    expect(offer.options?.[0]).toMatchObject({ label: 'UBND xã Tân Phong', number: '1', data: 's:unit:c-XA-TANPHONG' });
    chat.text('tân p');
    expect(chat.prompt().options?.map((o) => o.label)).toEqual(['UBND xã Tân Phong', 'UBND xã Tân Phú']);
    chat.text('2');
    expect(chat.session?.unit?.name).toBe('UBND xã Tân Phú');

    const byButton = new Chat({ units: UNITS });
    byButton.send(openStart());
    byButton.press('Bắt đầu');
    byButton.text('Tan');
    byButton.press('UBND xã Tân Hòa');
    expect(byButton.session?.unit?.code).toBe('XA-TANHOA');
    expect(byButton.last.messages[0]).toMatchObject({ type: 'close_keyboard', questionCode: '@unit', chosenLabel: 'UBND xã Tân Hòa' });
  });

  it('uses a position in the button payload when a unit code cannot travel in callback data', () => {
    const chat = new Chat({ units: UNITS });
    chat.send(openStart());
    chat.press('Bắt đầu');
    chat.text('ubnd phuong');
    const muongThanh = chat.prompt().options?.find((o) => o.label === 'UBND phường Mường Thanh');
    expect(muongThanh?.data).toBe('s:unit:n-2');
    chat.press('UBND phường Mường Thanh');
    expect(chat.session?.unit?.code).toBe('Phường Mường Thanh');
  });

  it('says politely when no unit matches and asks again', () => {
    const chat = new Chat({ units: UNITS });
    chat.send(openStart());
    chat.press('Bắt đầu');
    chat.text('Bộ Ngoại giao');
    expect(chat.prompt().text).toContain('Không tìm thấy đơn vị nào khớp với “Bộ Ngoại giao”. Vui lòng gõ lại tên hoặc mã đơn vị.');
    expect(chat.session?.phase).toBe('unit');
  });

  it('pre-selects the unit of a u_<unitCode> QR payload, and ignores an unknown one', () => {
    const chat = new Chat({ units: UNITS });
    chat.send(openStart('xa-tanloc'));
    expect(chat.prompt().text).toContain('Đơn vị được khảo sát: UBND xã Tân Lộc.');
    chat.press('Bắt đầu');
    expect(chat.session?.phase).toBe('procedure');

    const unknown = new Chat({ units: UNITS });
    unknown.send(openStart('KHONG-CO'));
    unknown.press('Bắt đầu');
    expect(unknown.session?.phase).toBe('unit');
  });

  it('skips the unit step when the context has no unit list (the response then has no unit)', () => {
    const chat = new Chat();
    chat.send(openStart());
    chat.press('Bắt đầu');
    expect(chat.session?.phase).toBe('procedure');
    chat.text('bỏ qua');
    expect(chat.effectsOf('response_started')[0]).toMatchObject({ unitCode: null });
  });

  it('scanning another unit QR before anything is answered restarts the open survey for that unit', () => {
    const chat = new Chat({ units: UNITS });
    chat.send(openStart('SO-TUPHAP'));
    const first = chat.session!.responseId;
    chat.send(openStart('SO-XAYDUNG'));
    expect(chat.session?.unit?.code).toBe('SO-XAYDUNG');
    expect(chat.session?.responseId).not.toBe(first);
    expect(chat.last.effects.map((e) => e.type)).toEqual(['cancel_reminders', 'schedule_reminder']);
  });

  it('declining consent ends politely, opts out of reminders and records nothing', () => {
    const chat = new Chat({ units: UNITS });
    chat.send(openStart());
    const r = chat.press('Từ chối');
    expect(chat.session?.phase).toBe('declined');
    expect(r.effects.map((e) => e.type)).toEqual(['opted_out', 'cancel_reminders']);
    expect(r.effects[0]).toMatchObject({ reason: 'declined', responseStarted: false });
    expect(chat.lastTexts()).toContain('Chúng tôi sẽ không gửi thêm tin nhắn về khảo sát này');
    chat.text('5');
    expect(chat.last.effects).toEqual([]);
  });

  it('re-asks consent with an explanation when the reply is not understood', () => {
    const chat = new Chat();
    chat.send(openStart());
    chat.text('xin chào');
    expect(chat.session?.phase).toBe('consent');
    expect(chat.prompt().text).toMatch(/^Xin lỗi, chúng tôi chưa hiểu\. Ông\/Bà vui lòng chọn “Bắt đầu”/);
  });
});
