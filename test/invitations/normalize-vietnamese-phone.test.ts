import { describe, expect, it } from 'vitest';
import { InvalidPhoneError, normalizeVietnamesePhone, tryNormalizeVietnamesePhone } from '../../src/invitations/normalize-vietnamese-phone.js';

describe('normalizeVietnamesePhone', () => {
  it.each([
    '0912 345 678',
    '0912345678',
    '+84912345678',
    '84912345678',
    '84 912 345 678',
    '+84 912-345-678',
    '(+84) 912.345.678',
    '0084912345678',
    ' 0912345678 ',
  ])('%s → 84912345678', (input) => {
    expect(normalizeVietnamesePhone(input)).toBe('84912345678');
  });

  it('handles the newer mobile prefixes', () => {
    expect(normalizeVietnamesePhone('0865 123 456')).toBe('84865123456');
    expect(normalizeVietnamesePhone('0388123456')).toBe('84388123456');
  });

  it.each([
    ['', 'empty'],
    ['abc', 'unparseable'],
    ['0912-345-67x', 'unparseable'],
    ['012345', 'invalid'],
    ['0123456789', 'invalid'], // the retired 01x prefix
    ['+1 202 555 0123', 'not_vietnamese'],
    ['024 3826 1234', 'not_mobile'], // Hà Nội fixed line: no Zalo account
  ])('refuses %j (%s)', (input, reason) => {
    expect(() => normalizeVietnamesePhone(input)).toThrow(InvalidPhoneError);
    try {
      normalizeVietnamesePhone(input);
    } catch (err) {
      expect((err as InvalidPhoneError).reason).toBe(reason);
      expect((err as Error).message).not.toContain(input.trim() || '§');
    }
  });

  it('has a non-throwing variant', () => {
    expect(tryNormalizeVietnamesePhone('0912345678')).toBe('84912345678');
    expect(tryNormalizeVietnamesePhone('nope')).toBeUndefined();
  });
});
