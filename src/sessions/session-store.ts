import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { EMPTY_ENVELOPE, sessionEnvelopeSchema, type SessionEnvelope } from './session-envelope.js';

// Compare-and-set: write only if the stored version is still the one we read.
const CAS_SCRIPT = `
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

// Rewrites the document without a new version, only if nobody wrote since (used to drop a flushed outbox).
const SAME_VERSION_SCRIPT = `
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'doc', ARGV[2])
return 1`;

export type SessionKey = { channel: string; userRef: string };

/** Opaque id of a conversation partner, safe for job ids and logs (no chat id inside). */
export function userHash(key: SessionKey): string {
  return createHash('sha256').update(`${key.channel}:${key.userRef}`).digest('base64url').slice(0, 22);
}

/**
 * Session envelopes in Redis, one hash per (channel, user) with a version field.
 * A missing or unreadable document reads as empty at version 0 (the caller can then
 * rebuild from PostgreSQL).
 */
export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(k: SessionKey): string {
    return `${this.prefix}:sess:${userHash(k)}`;
  }

  async load(k: SessionKey): Promise<SessionEnvelope> {
    const [v, doc] = await this.redis.hmget(this.key(k), 'v', 'doc');
    if (!v || !doc) return { ...EMPTY_ENVELOPE, v: v ? Number(v) : 0 };
    const parsed = sessionEnvelopeSchema.safeParse(JSON.parse(doc));
    // A document from an incompatible version is treated as lost, keeping its version for the CAS.
    return parsed.success ? { ...parsed.data, v: Number(v) } : { ...EMPTY_ENVELOPE, v: Number(v) };
  }

  /** Writes `next` (whose `v` must be expected + 1) if nobody wrote since `expected`. */
  async compareAndSet(k: SessionKey, expected: number, next: SessionEnvelope): Promise<boolean> {
    const ok = await this.redis.eval(CAS_SCRIPT, 1, this.key(k), String(expected), String(next.v), JSON.stringify(next), String(this.ttlMs));
    return ok === 1;
  }

  /**
   * Drops the outbox once it is in the queues, so a later event does not hand it over
   * again (by then its jobs may have been cleaned up, and the replies would go out twice).
   * A no-op when someone wrote meanwhile: their envelope carries its own outbox.
   */
  async clearOutbox(k: SessionKey, env: SessionEnvelope): Promise<void> {
    await this.redis.eval(SAME_VERSION_SCRIPT, 1, this.key(k), String(env.v), JSON.stringify({ ...env, outbox: null }));
  }

  async delete(k: SessionKey): Promise<void> {
    await this.redis.del(this.key(k));
  }
}
