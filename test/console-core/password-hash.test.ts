import * as crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { DUMMY_HASH, generatePassword, hashPassword, verifyPassword } from '../../src/users/password-hash.js';

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof crypto>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});

describe('password hashing (scrypt from node:crypto)', () => {
  it('round-trips: the password verifies, any other does not, and the hash holds no trace of it', async () => {
    const hash = await hashPassword('Mật khẩu dài 2026');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('Mật');
    expect(await verifyPassword('Mật khẩu dài 2026', hash)).toBe(true);
    expect(await verifyPassword('Mật khẩu dài 2027', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts: the same password hashes differently twice, and both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('cung-mot-mat-khau'), hashPassword('cung-mot-mat-khau')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('cung-mot-mat-khau', a)).toBe(true);
    expect(await verifyPassword('cung-mot-mat-khau', b)).toBe(true);
  });

  it('treats composed and decomposed Vietnamese the same (NFC), as a phone and a PC may type them differently', async () => {
    const hash = await hashPassword('Hà Nội mùa thu'.normalize('NFD'));
    expect(await verifyPassword('Hà Nội mùa thu'.normalize('NFC'), hash)).toBe(true);
  });

  it('compares with timingSafeEqual, never with ===', async () => {
    const hash = await hashPassword('so-sanh-an-toan');
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(await verifyPassword('sai-mat-khau-xx', hash)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('never matches a malformed stored hash, or the dummy hash used for unknown usernames', async () => {
    for (const bad of ['', 'plain', 'scrypt$x$8$1$AA==$AA==', 'bcrypt$2$8$1$AA==$AA==', 'scrypt$32768$8$1$AA==$AA==']) expect(await verifyPassword('anything-at-all', bad)).toBe(false);
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('a'.repeat(20), DUMMY_HASH)).toBe(false);
  });

  it('generates distinct passwords of about 120 bits', () => {
    const seen = new Set(Array.from({ length: 50 }, generatePassword));
    expect(seen.size).toBe(50);
    for (const p of seen) expect(p).toMatch(/^[A-Za-z0-9_-]{20}$/);
  });
});
