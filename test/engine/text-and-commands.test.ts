import { describe, expect, it } from 'vitest';
import { detectCommand } from '../../src/engine/commands.js';
import { foldText, normalizeText } from '../../src/engine/normalize-text.js';

describe('normalizeText / foldText', () => {
  it('normalises to NFC and strips control and zero-width characters', () => {
    expect(normalizeText('  Ha\u0300 No\u0302\u0323i\u200B\u202E\u0000 ')).toBe('Hà Nội');
    expect(normalizeText('a\tb')).toBe('a b');
  });
  it('folds case, diacritics (đ too), spacing and trailing punctuation', () => {
    expect(foldText('  Rất   HÀI LÒNG!! ')).toBe('rat hai long');
    expect(foldText('Đồng ý.')).toBe('dong y');
    expect(foldText('“Bỏ qua”')).toBe('bo qua');
  });
});

describe('commands typed as text', () => {
  it.each([
    ['/stop', 'stop'],
    ['/stop@sipas_bot', 'stop'],
    ['dừng', 'stop'],
    ['Dừng lại', 'stop'],
    ['dung lai', 'stop'],
    ['thoát', 'stop'],
    ['/help', 'help'],
    ['trợ giúp', 'help'],
    ['tro giup', 'help'],
    ['Hướng dẫn', 'help'],
    ['?', 'help'],
    ['/back', 'back'],
    ['quay lại', 'back'],
    ['Quay lai', 'back'],
    ['trở lại', 'back'],
    ['bỏ qua', 'skip'],
    ['Bo qua', 'skip'],
    ['/start', 'start'],
    ['/start tok_abc', 'start'],
    ['/xyz', 'unknown'],
  ])('"%s" → %s', (text, command) => {
    expect(detectCommand(text)).toBe(command);
  });
  it.each(['dung', 'đúng', 'không', 'Tôi muốn dừng lại vì bận', '5', 'hài lòng'])('"%s" is not a command', (text) => {
    expect(detectCommand(text)).toBeNull();
  });
});
