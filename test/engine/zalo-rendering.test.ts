import { describe, expect, it } from 'vitest';
import { renderPlainText } from '../../src/engine/index.js';
import { Chat } from './driver.js';

describe('numbered-text channels (Zalo, simulator)', () => {
  it('renders a question as text with numbered options and the typing hint', () => {
    const chat = new Chat({ channel: 'zalo' });
    chat.begin();
    chat.text('1');
    expect(renderPlainText(chat.prompt())).toBe(
      [
        'Câu 2/8\nNơi ngồi chờ có đủ chỗ ngồi.',
        '1. Rất không hài lòng\n2. Không hài lòng\n3. Bình thường\n4. Hài lòng\n5. Rất hài lòng\n0. Không có ý kiến / Không áp dụng',
        'Gõ số từ 1 (Rất không hài lòng) đến 5 (Rất hài lòng), gõ 0 nếu không có ý kiến. Gõ “quay lại” để sửa câu trước.',
      ].join('\n\n'),
    );
  });

  it('accepts button payloads that come back as typed text, with the same stale-keyboard protection', () => {
    const chat = new Chat({ channel: 'zalo' });
    chat.send({ type: 'start', start: { kind: 'open', questionnaire: { code: 'mini', version: 1 } } });
    chat.text('s:consent:yes');
    chat.text('s:procedure:skip');
    expect(chat.session?.phase).toBe('question');
    chat.text('a:gender:2');
    expect(chat.session?.answers.gender?.value).toBe('female');
    const v = chat.session!.version;
    chat.text('a:gender:1'); // an old payload: ignored
    expect(chat.session?.answers.gender?.value).toBe('female');
    expect(chat.session?.version).toBe(v);
    chat.text('a:1.1:5');
    expect(chat.session?.answers['1.1']?.score).toBe(5);
  });

  it('shows selected multi-choice options with a tick', () => {
    const chat = new Chat({ channel: 'zalo' });
    chat.begin();
    for (const t of ['1', '4', '4', 'không']) chat.text(t);
    chat.text('a:expect:2');
    expect(renderPlainText(chat.prompt())).toContain('2. ✅ Thái độ công chức');
  });
});
