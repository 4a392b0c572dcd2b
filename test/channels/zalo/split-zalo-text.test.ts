import { describe, expect, it } from 'vitest';
import { splitZaloText, ZALO_TEXT_LIMIT } from '../../../src/channels/zalo/split-zalo-text.js';

describe('splitZaloText', () => {
  it('keeps text within the limit as one part, unchanged', () => {
    const text = 'Câu 1/22: Ông/bà đánh giá thế nào?\n1. Rất không hài lòng\n2. Không hài lòng';
    expect(splitZaloText(text)).toEqual([text]);
    expect(splitZaloText('x'.repeat(ZALO_TEXT_LIMIT))).toEqual(['x'.repeat(ZALO_TEXT_LIMIT)]);
  });

  it('splits at line boundaries, every part within the limit, nothing lost', () => {
    const lines = Array.from({ length: 120 }, (_, i) => `${i + 1}. Tiêu chí số ${i + 1}: Rất hài lòng với sự phục vụ`);
    const text = lines.join('\n');
    const parts = splitZaloText(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(ZALO_TEXT_LIMIT);
    expect(parts.join('\n')).toBe(text);
    for (const p of parts) expect(lines).toContain(p.split('\n')[0]);
  });

  it('cuts an over-long line at a space, else hard', () => {
    const words = Array.from({ length: 10 }, () => 'abcdefghi').join(' '); // 99 characters
    const parts = splitZaloText(words, 30);
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(30);
    expect(parts.join(' ')).toBe(words);
    expect(splitZaloText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `${'a'.repeat(9)}😀${'b'.repeat(5)}`;
    const parts = splitZaloText(text, 10);
    expect(parts).toEqual(['a'.repeat(9), `😀${'b'.repeat(5)}`]);
  });

  it('drops blank parts', () => {
    const text = `${'a'.repeat(8)}\n\n\n\n${'b'.repeat(8)}`;
    expect(splitZaloText(text, 10)).toEqual(['a'.repeat(8), 'b'.repeat(8)]);
  });
});
