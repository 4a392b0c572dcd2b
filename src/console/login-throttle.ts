import { createHash } from 'node:crypto';
import type { RedisClient } from '../queues/redis-connection.js';

/** Wrong passwords allowed per address and username before further attempts are refused for the window. */
export const MAX_FAILED_LOGINS = 5;
export const FAILED_LOGIN_WINDOW_S = 15 * 60;

/**
 * Counts failed logins per (address, username) in Redis: after five, that pair is refused
 * until the window passes (a guesser slows to five tries per quarter hour, and the real
 * user logging in from elsewhere is not locked out). Keys are hashed: no username in Redis.
 */
export class LoginThrottle {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  private key(ip: string, username: string): string {
    return `${this.prefix}:console:login-fail:${createHash('sha256').update(`${ip}\n${username.trim().toLowerCase()}`).digest('base64url')}`;
  }

  /** Seconds until this pair may try again, or 0 when it may try now. */
  async blockedFor(ip: string, username: string): Promise<number> {
    const key = this.key(ip, username);
    const count = Number((await this.redis.get(key)) ?? 0);
    if (count < MAX_FAILED_LOGINS) return 0;
    return Math.max(1, await this.redis.ttl(key));
  }

  async fail(ip: string, username: string): Promise<void> {
    const key = this.key(ip, username);
    // The window starts at the first failure (SET NX: no EXPIRE NX needed, Redis 6 works too).
    await this.redis.multi().set(key, '0', 'EX', FAILED_LOGIN_WINDOW_S, 'NX').incr(key).exec();
  }

  async clear(ip: string, username: string): Promise<void> {
    await this.redis.del(this.key(ip, username));
  }
}
