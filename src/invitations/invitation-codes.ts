import { randomBytes, randomInt } from 'node:crypto';

/**
 * Opaque single-use token: 32 chars of base64url (192 bits), valid as a Telegram /start payload.
 * Never starts with "u_": `/start u_<unitCode>` is a unit's QR code (see resolve-start.ts), so
 * such a token (1 in 4,096) would open an anonymous survey instead of the invitation.
 */
export function generateInvitationToken(): string {
  const token = randomBytes(24).toString('base64url');
  return token.startsWith('u_') ? `U${token.slice(1)}` : token;
}

// No 0/O, 1/I/L: the code is read off a text message and typed by hand.
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const SHORT_CODE_LENGTH = 8;

/** Short human code (8 chars, ~40 bits) a citizen can type into the Zalo OA chat. */
export function generateShortCode(): string {
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Normalises what a citizen typed ("abcd-2345", " ABCD 2345 ") to a stored code, or undefined. */
export function normalizeShortCode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s-]/g, '');
  const re = new RegExp(`^[${CODE_ALPHABET}]{${SHORT_CODE_LENGTH}}$`);
  return re.test(compact) ? compact : undefined;
}
