import type { RedisClient } from '../queues/redis-connection.js';
import { userHash, type SessionKey } from '../core/user-hash.js';
import { EMPTY_ENVELOPE, outboxSchema, storedSessionSchema, type Outbox, type SessionEnvelope } from './session-envelope.js';

// Compare-and-set: write only if the stored version is still the one we read. The outbox
// has a field of its own, so handing it over later only deletes that field (no rewrite).
const CAS_SCRIPT = `
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '0') ~= ARGV[1] then return 0 end
if ARGV[4] == '' then
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3])
  redis.call('HDEL', KEYS[1], 'ob')
else
  redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3], 'ob', ARGV[4])
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

// Drops the outbox only if nobody wrote since (a newer write carries its own outbox).
const CLEAR_OUTBOX_SCRIPT = `
if (redis.call('HGET', KEYS[1], 'v') or '0') ~= ARGV[1] then return 0 end
return redis.call('HDEL', KEYS[1], 'ob')`;

type SessionCommands = {
  sessionCas(key: string, expected: string, next: string, doc: string, outbox: string, ttlMs: string): Promise<number>;
  sessionClearOutbox(key: string, version: string): Promise<number>;
};

/**
 * Session envelopes in Redis, one hash per (channel, user): `v` (version), `doc` (the
 * session and the event ids already applied) and `ob` (the outbox, while it is not yet
 * in the queues). A missing or unreadable document reads as empty at its version (the
 * caller can then rebuild from PostgreSQL). Scripts run as EVALSHA (defined once).
 */
export class SessionStore {
  private readonly redis: RedisClient & SessionCommands;

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    if (!('sessionCas' in redis)) {
      redis.defineCommand('sessionCas', { numberOfKeys: 1, lua: CAS_SCRIPT });
      redis.defineCommand('sessionClearOutbox', { numberOfKeys: 1, lua: CLEAR_OUTBOX_SCRIPT });
    }
    this.redis = redis as RedisClient & SessionCommands;
  }

  private key(k: SessionKey): string {
    return `${this.prefix}:sess:${userHash(k)}`;
  }

  async load(k: SessionKey): Promise<SessionEnvelope> {
    const [v, doc, ob] = await this.redis.hmget(this.key(k), 'v', 'doc', 'ob');
    const version = v ? Number(v) : 0;
    if (!v || !doc) return { ...EMPTY_ENVELOPE, v: version };
    const stored = storedSessionSchema.safeParse(parseJson(doc));
    // A document from an incompatible version is treated as lost, keeping its version for the CAS.
    if (!stored.success) return { ...EMPTY_ENVELOPE, v: version };
    return { v: version, session: stored.data.session, seen: stored.data.seen, outbox: ob ? readOutbox(ob) : (stored.data.outbox ?? null) };
  }

  /** Writes `next` (whose `v` must be expected + 1) if nobody wrote since `expected`. */
  async compareAndSet(k: SessionKey, expected: number, next: SessionEnvelope): Promise<boolean> {
    const doc = JSON.stringify({ session: next.session, seen: next.seen });
    const ok = await this.redis.sessionCas(this.key(k), String(expected), String(next.v), doc, next.outbox ? JSON.stringify(next.outbox) : '', String(this.ttlMs));
    return ok === 1;
  }

  /**
   * Drops the outbox once it is in the queues, so a later event does not hand it over
   * again (by then its jobs may have been cleaned up, and the replies would go out twice).
   * A no-op when someone wrote meanwhile: their envelope carries its own outbox.
   */
  async clearOutbox(k: SessionKey, env: SessionEnvelope): Promise<void> {
    await this.redis.sessionClearOutbox(this.key(k), String(env.v));
  }

  async delete(k: SessionKey): Promise<void> {
    await this.redis.del(this.key(k));
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** An unreadable outbox cannot be handed over; it is dropped rather than blocking the conversation. */
function readOutbox(text: string): Outbox | null {
  const parsed = outboxSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : null;
}
