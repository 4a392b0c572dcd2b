import { type OutboundMessage } from '../../../src/engine/index.js';
import { describe, expect, it } from 'vitest';
import { renderZalo, zaloPartCount, ZALO_MAX_BUTTONS } from '../../../src/channels/zalo/render-zalo.js';
import { splitZaloText, ZALO_TEXT_LIMIT } from '../../../src/channels/zalo/split-zalo-text.js';

const likert = (code: string): OutboundMessage => ({
  type: 'text',
  text: 'Câu 7/36\nViệc tiếp nhận hồ sơ được thực hiện đúng quy định.',
  options: [
    ...['Rất không hài lòng', 'Không hài lòng', 'Bình thường', 'Hài lòng', 'Rất hài lòng'].map((label, i) => ({ data: `a:${code}:${i + 1}`, label, number: String(i + 1), role: 'answer' as const })),
    { data: `a:${code}:0`, label: 'Không có ý kiến / Không áp dụng', number: '0', role: 'answer' },
    { data: `a:${code}:back`, label: '⬅️ Quay lại', role: 'control' },
  ],
  hint: 'Gõ số từ 1 (Rất không hài lòng) đến 5 (Rất hài lòng), gõ 0 nếu không có ý kiến. Gõ “quay lại” để sửa câu trước.',
  progress: { current: 7, total: 36 },
  questionCode: code,
});

describe('renderZalo', () => {
  it('numbered text path: options as "1. Rất không hài lòng" lines plus the typing hint, no buttons', () => {
    const [m, ...rest] = renderZalo([likert('2.1')], { buttons: false });
    expect(rest).toEqual([]);
    expect(m!.buttons).toBeUndefined();
    expect(m!.text).toBe(
      'Câu 7/36\nViệc tiếp nhận hồ sơ được thực hiện đúng quy định.\n\n' +
        '1. Rất không hài lòng\n2. Không hài lòng\n3. Bình thường\n4. Hài lòng\n5. Rất hài lòng\n0. Không có ý kiến / Không áp dụng\n\n' +
        'Gõ số từ 1 (Rất không hài lòng) đến 5 (Rất hài lòng), gõ 0 nếu không có ý kiến. Gõ “quay lại” để sửa câu trước.',
    );
  });

  it('button path: the same text plus oa.query.hide buttons whose payload is the option data, answers first, capped', () => {
    const [m] = renderZalo([likert('2.1')], { buttons: true });
    expect(m!.text).toContain('1. Rất không hài lòng');
    expect(m!.buttons).toHaveLength(ZALO_MAX_BUTTONS);
    expect(m!.buttons![0]).toEqual({ title: '1. Rất không hài lòng', payload: 'a:2.1:1', type: 'oa.query.hide' });
    expect(m!.buttons!.map((b) => b.payload)).toEqual(['a:2.1:1', 'a:2.1:2', 'a:2.1:3', 'a:2.1:4', 'a:2.1:5']);
    const yesNo: OutboundMessage = { type: 'text', text: 'Câu 23/36\nÔng/Bà có góp ý không?', options: [{ data: 'a:complaint:1', label: 'Có', number: '1', role: 'answer' }, { data: 'a:complaint:back', label: '⬅️ Quay lại', role: 'control' }] };
    expect(renderZalo([yesNo], { buttons: true })[0]!.buttons!.map((b) => b.title)).toEqual(['1. Có', '⬅️ Quay lại']);
  });

  it('close_keyboard sends nothing of its own: the choice is confirmed on top of the next message', () => {
    const out = renderZalo([{ type: 'close_keyboard', questionCode: '2.1', chosenLabel: 'Hài lòng' }, likert('2.2')], { buttons: false });
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toMatch(/^Đã chọn: Hài lòng\.\n\nCâu 7\/36/);
    expect(renderZalo([{ type: 'close_keyboard', questionCode: '2.1', chosenLabel: null }], { buttons: true })).toEqual([]);
    expect(renderZalo([{ type: 'close_keyboard', questionCode: '2.1', chosenLabel: 'Có' }], { buttons: true })).toEqual([{ text: 'Đã chọn: Có.' }]);
  });

  it('ticks selected multi-choice options in text and on buttons', () => {
    const m: OutboundMessage = {
      type: 'text',
      text: 'Câu 35/36\nÔng/Bà mong muốn cải thiện điều gì?',
      options: [
        { data: 'a:expect:1', label: 'Cơ sở vật chất', number: '1', role: 'answer', selected: true },
        { data: 'a:expect:2', label: 'Thái độ công chức', number: '2', role: 'answer', selected: false },
        { data: 'a:expect:ok', label: 'Xong', role: 'control' },
      ],
    };
    const [out] = renderZalo([m], { buttons: true });
    expect(out!.text).toContain('1. ✅ Cơ sở vật chất\n2. Thái độ công chức');
    expect(out!.buttons!.map((b) => b.title)).toEqual(['✅ 1. Cơ sở vật chất', '2. Thái độ công chức', 'Xong']);
  });

  it('long text is sent in parts of at most 2,000 characters, counted for the delivery progress', () => {
    const long: OutboundMessage = { type: 'text', text: Array.from({ length: 120 }, (_, i) => `Dòng ${i + 1}: hướng dẫn trả lời khảo sát chi tiết cho Ông/Bà.`).join('\n') };
    const [out] = renderZalo([long], { buttons: false });
    const parts = splitZaloText(out!.text);
    expect(parts.length).toBeGreaterThan(1);
    expect(zaloPartCount(out!)).toBe(parts.length);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    expect(parts.join('\n')).toBe(out!.text);
  });
});
