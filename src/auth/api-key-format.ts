import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `sk_<prefix>_<secret>`: the prefix finds the row, only the
 * SHA-256 of the whole key is stored, so a database leak yields no usable key.
 */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(6).toString('hex');
  const key = `sk_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function parseApiKeyPrefix(key: string): string | undefined {
  return /^sk_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(key)?.[1];
}

/** Constant-time string equality (different lengths compare unequal without a timing leak of the content). */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
