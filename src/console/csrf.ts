import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Before login there is no session: the login and first-administrator forms double-submit a token held in this cookie. */
export const PRE_SESSION_CSRF_COOKIE = 'sipas_csrf';

export function newCsrfToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Whether a form's `_csrf` field matches the expected token (constant time; missing never matches). */
export function csrfMatches(expected: string | undefined, given: unknown): boolean {
  if (!expected || typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
