import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCallbackData, encodeCallbackData } from '../../src/engine/index.js';

describe('callback data', () => {
  it('encodes question options and setup steps compactly and decodes them back', () => {
    expect(encodeCallbackData('1.1', '4')).toBe('a:1.1:4');
    expect(encodeCallbackData('@consent', 'yes')).toBe('s:consent:yes');
    expect(decodeCallbackData('a:1.1:4', '77')).toEqual({ type: 'choice', questionCode: '1.1', value: '4', messageId: '77' });
    expect(decodeCallbackData('s:unit:c-XA-TANPHONG')).toEqual({ type: 'choice', questionCode: '@unit', value: 'c-XA-TANPHONG' });
  });

  it('never carries Vietnamese text and refuses what cannot be encoded', () => {
    expect(() => encodeCallbackData('1.1', 'hài lòng')).toThrow();
    expect(() => encodeCallbackData('x'.repeat(40), '1')).toThrow();
  });

  it('rejects foreign or hostile payloads (Zalo then treats them as typed text)', () => {
    for (const s of ['', 'a:', 'a::1', 'a:1.1:', 'x:1.1:4', 's:other:1', 'a:1.1:4:5', 'a:bad code:1', 'hài lòng']) {
      expect(decodeCallbackData(s)).toBeNull();
    }
  });

  it('round-trips every encodable question code / value and stays within 64 bytes', () => {
    const code = fc.stringMatching(/^[A-Za-z0-9._-]{1,32}$/);
    const value = fc.stringMatching(/^[A-Za-z0-9_.-]{1,28}$/);
    fc.assert(
      fc.property(code, value, (c, v) => {
        const data = encodeCallbackData(c, v);
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
        expect(decodeCallbackData(data)).toEqual({ type: 'choice', questionCode: c, value: v });
      }),
    );
  });
});
