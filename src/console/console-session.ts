import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { RedisClient } from '../queues/redis-connection.js';

/** The cookie that carries the session id (the contract with the browser tests). */
export const SESSION_COOKIE = 'sipas_session';

export type ConsoleSession = { userId: string; csrf: string; createdAt: number; lastSeenAt: number };

/**
 * Console sessions in Redis. The cookie holds a random id; Redis holds it only hashed, so
 * a copy of Redis does not log anyone in. Inactivity is judged by the product's clock
 * (tests move it); the key's TTL only cleans up behind it.
 */
export class ConsoleSessions {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly idleMs: number,
    private readonly now: Clock,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:console:session:${createHash('sha256').update(id).digest('base64url')}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}:console:user-sessions:${userId}`;
  }

  /** A new session for a user who just logged in; returns the cookie value. */
  async create(userId: string): Promise<{ id: string; session: ConsoleSession }> {
    const id = randomBytes(32).toString('base64url');
    const at = this.now().getTime();
    const session: ConsoleSession = { userId, csrf: randomBytes(24).toString('base64url'), createdAt: at, lastSeenAt: at };
    const ttl = Math.ceil(this.idleMs / 1000);
    await this.redis.multi().set(this.key(id), JSON.stringify(session), 'EX', ttl).sadd(this.userKey(userId), this.key(id)).expire(this.userKey(userId), 7 * 86_400).exec();
    return { id, session };
  }

  /** The live session behind a cookie, its last-seen time moved to now; null when unknown or idle too long. */
  async touch(id: string): Promise<ConsoleSession | null> {
    const key = this.key(id);
    const raw = await this.redis.get(key);
    if (!raw) return null;
    const session = JSON.parse(raw) as ConsoleSession;
    const at = this.now().getTime();
    if (at - session.lastSeenAt > this.idleMs) {
      await this.redis.del(key);
      return null;
    }
    session.lastSeenAt = at;
    await this.redis.set(key, JSON.stringify(session), 'EX', Math.ceil(this.idleMs / 1000));
    return session;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }

  /** Ends every session of a user (password reset, disabled). */
  async destroyAllOf(userId: string): Promise<void> {
    const keys = await this.redis.smembers(this.userKey(userId));
    if (keys.length) await this.redis.del(...keys);
    await this.redis.del(this.userKey(userId));
  }
}
