import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** A phone number that cannot receive Zalo messages; the message never contains the number. */
export class InvalidPhoneError extends Error {
  constructor(readonly reason: 'empty' | 'unparseable' | 'not_vietnamese' | 'invalid' | 'not_mobile') {
    super(`invalid Vietnamese mobile number (${reason})`);
    this.name = 'InvalidPhoneError';
  }
}

/**
 * Normalises a Vietnamese mobile number written in any common form ("0912 345 678",
 * "+84912345678", "84912345678", "0084 912.345.678") to the "84…" form ZNS expects.
 * Throws `InvalidPhoneError` for anything else (foreign, fixed-line, too short …).
 */
export function normalizeVietnamesePhone(input: string): string {
  const compact = input.replace(/[\s.\-()]/g, '');
  if (compact === '') throw new InvalidPhoneError('empty');
  if (!/^\+?\d+$/.test(compact)) throw new InvalidPhoneError('unparseable');
  // "84…" without a plus is the international form ZNS itself uses.
  const candidate = /^84\d{9}$/.test(compact) ? `+${compact}` : compact.replace(/^00/, '+');
  const parsed = parsePhoneNumberFromString(candidate, 'VN');
  if (!parsed) throw new InvalidPhoneError('unparseable');
  if (parsed.country !== 'VN' && parsed.countryCallingCode !== '84') throw new InvalidPhoneError('not_vietnamese');
  if (!parsed.isValid()) throw new InvalidPhoneError('invalid');
  const type = parsed.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') throw new InvalidPhoneError('not_mobile');
  return parsed.number.slice(1);
}

/** The same as `normalizeVietnamesePhone`, returning `undefined` instead of throwing. */
export function tryNormalizeVietnamesePhone(input: string): string | undefined {
  try {
    return normalizeVietnamesePhone(input);
  } catch {
    return undefined;
  }
}
