import { createHmac } from 'node:crypto';

/**
 * A keyed hash (HMAC-SHA-256, base64url) of several parts: without the key nobody can
 * test a guess (a phone number, a chat id, a dossier code) against it, so the database
 * can count and find things by it without holding what it was made from.
 */
export function keyedHash(key: string, ...parts: string[]): string {
  const mac = createHmac('sha256', key);
  // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
  for (const p of parts) mac.update(`${p.length}:${p}`);
  return mac.digest('base64url');
}
