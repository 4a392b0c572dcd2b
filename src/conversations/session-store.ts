import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../queues/redis-connection.js';
import { userHash, type SessionKey } from '../core/user-hash.js';
import { ASSIGN_FUNCTION, LANE_TTL_S, NOW } from '../outbound/chat-lanes.js';
import { EMPTY_ENVELOPE, outboxSchema, storedSessionSchema, type Outbox, type SessionEnvelope } from './session-envelope.js';
import { outboxStreamKey } from './outbox-stream.js';

/**
 * The commit: compare-and-set of the session, append of its outbox to the outbox stream,
 * and the reply's number in its chat's lane — one script, one round trip. A lost race
 * answers with what is stored, so the caller retries without reading again.
 * KEYS: session hash, outbox stream, lane (the session key again when there is no reply to number).
 * ARGV: expected v, next v, doc, ttl ms, entry ('' none), reply job id ('' none), lane ttl s,
 * a legacy outbox entry to hand over first ('' none), expected write token, next write token.
 * Returns {1, seq} (seq 0: none) or {0, v, doc, ob, token}.
 */
const COMMIT_SCRIPT = `${NOW}
${ASSIGN_FUNCTION}
local stored = redis.call('HMGET', KEYS[1], 'v', 'doc', 'ob', 'w')
if (stored[1] or '0') ~= ARGV[1] or (stored[4] or '') ~= ARGV[9] then return {0, stored[1] or '0', stored[2] or '', stored[3] or '', stored[4] or ''} end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'doc', ARGV[3], 'w', ARGV[10])
redis.call('HDEL', KEYS[1], 'ob')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if ARGV[8] ~= '' then redis.call('XADD', KEYS[2], '*', 'o', ARGV[8]) end
local seq = 0
if ARGV[5] ~= '' then
  if ARGV[6] ~= '' then
    seq = assign_seq(KEYS[3], ARGV[6], ARGV[7])
    redis.call('XADD', KEYS[2], '*', 'o', ARGV[5], 's', seq)
  else
    redis.call('XADD', KEYS[2], '*', 'o', ARGV[5])
  end
end
return {1, seq}`;

type SessionCommands = {
  sessionCommit(session: string, stream: string, lane: string, expected: string, next: string, doc: string, ttlMs: string, entry: string, replyJobId: string, laneTtlS: string, legacy: string, expectedToken: string, nextToken: string): Promise<[number, string | number, string?, string?, string?]>;
};

/** How an outbox's replies are numbered in their chat's lane (the lane key and the reply job's id). */
export type ReplyLane = { laneKey: string; jobId: string };

/** Envelopes this process wrote or read last, so the next event of a chat needs no read. */
const CACHED_SESSIONS = 20_000;

/**
 * Session envelopes in Redis, one hash per (channel, user): `v` (version), `w` (a random
 * token of the write) and `doc` (the session and the event ids already applied; `ob`, an
 * outbox not yet handed over, only in data written before the outbox stream). A missing or unreadable document reads as empty
 * at its version (the caller can then rebuild from PostgreSQL).
 *
 * The last envelope of each recent chat is kept in memory: a commit checks the version and
 * the write token in Redis anyway, so a stale copy (another process wrote, or Redis lost
 * writes and the version number was written again since) costs one failed commit, which
 * brings the stored envelope back with it.
 */
export class SessionStore {
  private readonly redis: RedisClient & SessionCommands;
  private readonly cache = new Map<string, SessionEnvelope>();

  constructor(
    redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number,
  ) {
    if (!('sessionCommit' in redis)) redis.defineCommand('sessionCommit', { numberOfKeys: 3, lua: COMMIT_SCRIPT });
    this.redis = redis as RedisClient & SessionCommands;
  }

  private key(k: SessionKey): string {
    return `${this.prefix}:sess:${userHash(k)}`;
  }

  /** The stored envelope, read from Redis. */
  async load(k: SessionKey): Promise<SessionEnvelope> {
    const key = this.key(k);
    const [v, doc, ob, token] = await this.redis.hmget(key, 'v', 'doc', 'ob', 'w');
    const env = envelopeOf(v ?? null, doc ?? null, ob ?? null, token ?? null);
    this.remember(key, env);
    return env;
  }

  /** The envelope to apply the next event to: this process's last copy when it has one. */
  async loadForUpdate(k: SessionKey): Promise<SessionEnvelope> {
    const cached = this.cache.get(this.key(k));
    return cached ?? this.load(k);
  }

  /**
   * Writes `next` (whose `v` must be read.v + 1) if nobody wrote since `read` was read, and
   * in the same step appends its outbox to the stream for the workers (numbering its
   * replies in `lane`); `carried` is an older outbox found in the envelope, handed over first.
   */
  async commit(k: SessionKey, read: SessionEnvelope, next: SessionEnvelope, o: { entry?: string; lane?: ReplyLane; carried?: string } = {}): Promise<{ ok: true; seq: number } | { ok: false }> {
    const key = this.key(k);
    const doc = JSON.stringify({ session: next.session, seen: next.seen });
    const lane = o.entry && o.lane ? o.lane : undefined;
    const token = randomBytes(9).toString('base64url');
    const [ok, a, b, c, d] = await this.redis.sessionCommit(key, outboxStreamKey(this.prefix), lane?.laneKey ?? key, String(read.v), String(next.v), doc, String(this.ttlMs), o.entry ?? '', lane?.jobId ?? '', String(LANE_TTL_S), o.carried ?? '', read.token ?? '', token);
    if (ok === 1) {
      this.remember(key, { ...next, outbox: null, token });
      return { ok: true, seq: Number(a) };
    }
    this.remember(key, envelopeOf(String(a), b || null, c || null, d || null));
    return { ok: false };
  }

  async delete(k: SessionKey): Promise<void> {
    const key = this.key(k);
    this.cache.delete(key);
    await this.redis.del(key);
  }

  private remember(key: string, env: SessionEnvelope): void {
    // Re-inserted so the Map's order is least recently used first.
    this.cache.delete(key);
    this.cache.set(key, env);
    if (this.cache.size > CACHED_SESSIONS) this.cache.delete(this.cache.keys().next().value!);
  }
}

function envelopeOf(v: string | null, doc: string | null, ob: string | null, token: string | null): SessionEnvelope {
  const version = v ? Number(v) : 0;
  const written = token ? { token } : {};
  if (!v || !doc) return { ...EMPTY_ENVELOPE, v: version, ...written };
  const stored = storedSessionSchema.safeParse(parseJson(doc));
  // A document from an incompatible version is treated as lost, keeping its version for the CAS.
  if (!stored.success) return { ...EMPTY_ENVELOPE, v: version, ...written };
  return { v: version, ...written, session: stored.data.session, seen: stored.data.seen, outbox: ob ? readOutbox(ob) : (stored.data.outbox ?? null) };
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
