import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { applyInbound, type ApplyDeps } from '../../src/conversations/apply-inbound.js';
import { OutboxRelay, type RelayOptions } from '../../src/conversations/outbox-relay.js';
import { outboxStreamKey, readOutboxEntry, type OutboxEntry } from '../../src/conversations/outbox-stream.js';
import type { Outbox } from '../../src/conversations/session-envelope.js';
import { userHash, type SessionKey } from '../../src/core/user-hash.js';
import { SessionStore } from '../../src/conversations/session-store.js';
import { Chat, invitation } from '../engine/driver.js';
import { createTestRedis, type TestRedis } from '../support/test-redis.js';
import { waitUntil } from '../support/wait-until.js';

let r: TestRedis;
let store: SessionStore;
let n = 0;
const newKey = (): SessionKey => ({ channel: 'telegram', userRef: String(900_000 + ++n) });
const laneKey = (key: SessionKey) => `${r.prefix}:olane:telegram:${userHash(key)}`;
const sessionKey = (key: SessionKey) => `${r.prefix}:sess:${userHash(key)}`;

beforeAll(async () => {
  r = await createTestRedis();
  store = new SessionStore(r.redis, r.prefix, 60_000);
});
afterAll(async () => {
  await r.close();
});

/** applyInbound over the real store; replies are numbered in the chat's lane like the product's. */
function deps(on: SessionStore = store): ApplyDeps {
  const chat = new Chat();
  return { store: on, engineContext: () => chat.ctx(), replyLane: (key, outboxId) => ({ laneKey: laneKey(key), jobId: `out-${outboxId}` }) };
}

/** The stream's entries (oldest first). */
async function streamEntries(): Promise<{ id: string; entry: OutboxEntry | undefined }[]> {
  const rows = await r.redis.xrange(outboxStreamKey(r.prefix), '-', '+');
  return rows.map(([id, fields]) => ({ id, entry: readOutboxEntry(fields) }));
}

const entriesOf = async (key: SessionKey) => (await streamEntries()).map((e) => e.entry).filter((e) => e?.userRef === key.userRef);

describe('SessionStore commit (Redis)', () => {
  it('writes the session, appends its outbox to the stream and numbers its replies, in one script', async () => {
    const key = newKey();
    const result = await applyInbound(deps(), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    expect(result.outcome).toBe('applied');
    const env = await store.load(key);
    expect(env).toMatchObject({ v: 1, outbox: null, seen: ['u1'] });
    expect(env.session?.phase).toBe(result.session?.phase);
    const [entry] = await entriesOf(key);
    expect(entry?.outbox.messages).toEqual(result.messages);
    expect(entry?.seq).toBe(1);
    expect(await r.redis.hget(laneKey(key), `b:out-${entry!.outbox.id}`)).toBe('1');
    expect(await r.redis.hexists(sessionKey(key), 'ob')).toBe(0);
  });

  it('refuses a commit based on a stale version, appending nothing, and hands back what is stored', async () => {
    const key = newKey();
    await applyInbound(deps(), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    const env = await store.load(key);
    const before = (await entriesOf(key)).length;
    expect(await store.commit(key, { ...env, v: env.v - 1 }, { ...env, v: env.v }, { entry: 'x' })).toEqual({ ok: false });
    expect((await entriesOf(key)).length).toBe(before);
    expect((await store.loadForUpdate(key)).v).toBe(1);
  });

  it('a process whose copy is stale (another process wrote since) applies the event to what is stored', async () => {
    const key = newKey();
    const other = new SessionStore(r.redis, r.prefix, 60_000);
    await applyInbound(deps(store), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    await store.loadForUpdate(key);
    // The other process applies a second delivery; this process's copy is now one version behind.
    await applyInbound(deps(other), { channel: 'telegram', userRef: key.userRef, eventId: 'u2', event: { type: 'text', text: '1' } });
    expect((await other.load(key)).v).toBe(2);
    // The same update redelivered to this process is recognised as a duplicate after one failed commit.
    const again = await applyInbound(deps(store), { channel: 'telegram', userRef: key.userRef, eventId: 'u2', event: { type: 'text', text: '1' } });
    expect(again.outcome).toBe('duplicate');
    expect((await store.load(key)).v).toBe(2);
    expect((await entriesOf(key)).length).toBe(2);
  });

  it('a copy of a write Redis lost is not taken for the same version written again since (a failover)', async () => {
    const key = newKey();
    const other = new SessionStore(r.redis, r.prefix, 60_000);
    await applyInbound(deps(store), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    const v1 = await r.redis.hgetall(sessionKey(key));
    await applyInbound(deps(store), { channel: 'telegram', userRef: key.userRef, eventId: 'u2', event: { type: 'text', text: '1' } });
    // Redis loses the second write (v2 with u2); another process then writes a different v2.
    await r.redis.del(sessionKey(key));
    await r.redis.hset(sessionKey(key), v1);
    await applyInbound(deps(other), { channel: 'telegram', userRef: key.userRef, eventId: 'u3', event: { type: 'text', text: '2' } });
    expect((await other.load(key)).v).toBe(2);
    // This process still holds its lost v2 (with u2 seen): a redelivery of u2 is applied, not dropped as a duplicate.
    const again = await applyInbound(deps(store), { channel: 'telegram', userRef: key.userRef, eventId: 'u2', event: { type: 'text', text: '1' } });
    expect(again.outcome).toBe('applied');
    const stored = await store.load(key);
    expect(stored.v).toBe(3);
    expect(stored.seen).toEqual(['u2', 'u3', 'u1']);
  });

  it('a session lost from Redis is not resurrected from this process\'s copy', async () => {
    const key = newKey();
    await applyInbound(deps(), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    await r.redis.del(sessionKey(key));
    const next = await applyInbound(deps(), { channel: 'telegram', userRef: key.userRef, eventId: 'u2', event: invitation() });
    expect(next.outcome).toBe('applied');
    expect((await store.load(key)).v).toBe(1);
  });

  it('hands an outbox kept in the session by an earlier version over with the next commit, before the new one', async () => {
    const key = newKey();
    await applyInbound(deps(), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    const legacy: Outbox = { id: 'legacy-ob', effects: [], messages: [{ type: 'text', text: 'Câu hỏi' }] };
    await r.redis.hset(sessionKey(key), 'ob', JSON.stringify(legacy));
    // A fresh process (no copy) reads it; a redelivered event is a duplicate but still hands it over.
    const fresh = new SessionStore(r.redis, r.prefix, 60_000);
    const dup = await applyInbound(deps(fresh), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    expect(dup.outcome).toBe('duplicate');
    const entries = await entriesOf(key);
    expect(entries.at(-1)?.outbox.id).toBe('legacy-ob');
    expect(entries.at(-1)?.seq).toBeUndefined();
    expect(await r.redis.hexists(sessionKey(key), 'ob')).toBe(0);
  });

  it('reads a document written before the outbox had its own field', async () => {
    const key = newKey();
    await applyInbound(deps(), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    const env = await store.load(key);
    const outbox: Outbox = { id: 'legacy', effects: [], messages: [{ type: 'text', text: 'Câu hỏi' }] };
    await r.redis.hset(sessionKey(key), 'doc', JSON.stringify({ v: env.v, session: env.session, seen: env.seen, outbox }));
    const read = await store.load(key);
    expect(read.outbox?.id).toBe('legacy');
    expect(read.session).toEqual(env.session);
  });

  it('reads an unreadable document as lost, keeping its version for the compare-and-set', async () => {
    const key = newKey();
    await r.redis.hset(sessionKey(key), 'v', '7', 'doc', '{not json');
    const read = await store.load(key);
    expect(read).toMatchObject({ v: 7, session: null, outbox: null });
  });
});

describe('OutboxRelay (Redis stream, consumer group)', () => {
  const logger = pino({ level: 'silent' });

  /** A prefix of its own with `n` chats' first outboxes committed, and a way to start a relay over it. */
  async function streamWith(n: number) {
    const rr = await createTestRedis();
    const chat = new Chat();
    const d: ApplyDeps = { store: new SessionStore(rr.redis, rr.prefix, 60_000), engineContext: () => chat.ctx(), replyLane: () => undefined };
    const commit = (key: SessionKey) => applyInbound(d, { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    const keys = Array.from({ length: n }, newKey);
    for (const key of keys) await commit(key);
    const relay = (handOver: RelayOptions['handOver'], opts: Partial<RelayOptions> = {}) => {
      const started = new OutboxRelay({ blocking: rr.redis.duplicate(), redis: rr.redis, prefix: rr.prefix, logger, blockMs: 100, handOver, ...opts });
      started.start();
      return started;
    };
    return { rr, keys, commit, relay, stream: outboxStreamKey(rr.prefix) };
  }

  it('hands every committed outbox over once, in order, deletes it, and retries a batch that failed', async () => {
    const { rr, keys, commit, relay: start, stream } = await streamWith(5);
    const seen: string[] = [];
    let failures = 1;
    const relay = start(async (entries) => {
      if (failures-- > 0) throw new Error('queue unreachable');
      seen.push(...entries.map((e) => e.userRef));
    });
    try {
      await waitUntil(async () => seen.length >= 5 && (await rr.redis.xlen(stream)) === 0, 'stream drained');
      expect(seen).toEqual(keys.map((k) => k.userRef));
      // Written after the relay started: handed over too.
      const late = newKey();
      await commit(late);
      await waitUntil(async () => seen.includes(late.userRef), 'late outbox handed over');
      expect(seen.filter((u) => u === late.userRef)).toHaveLength(1);
    } finally {
      await relay.close();
      await rr.close();
    }
  });

  it('takes over the entries of a relay that died before acknowledging them', async () => {
    const { rr, keys, relay: start, stream } = await streamWith(1);
    // A relay that read the entry and died: it stays pending under its consumer name.
    await rr.redis.xgroup('CREATE', stream, 'relay', '0');
    const read = (await rr.redis.xreadgroup('GROUP', 'relay', 'dead-relay', 'COUNT', 10, 'STREAMS', stream, '>')) as [string, [string, string[]][]][];
    expect(read[0]![1]).toHaveLength(1);

    const seen: string[] = [];
    const relay = start(async (entries) => void seen.push(...entries.map((e) => e.userRef)), { takeOverAfterMs: 300 });
    try {
      await waitUntil(async () => seen.length > 0 && (await rr.redis.xlen(stream)) === 0, 'taken over');
      expect(seen).toEqual([keys[0]!.userRef]);
      const pending = (await rr.redis.xpending(stream, 'relay')) as [number, ...unknown[]];
      expect(pending[0]).toBe(0);
    } finally {
      await relay.close();
      await rr.close();
    }
  });

  it('an entry that can never be handed over is parked after a few tries; the others go on', async () => {
    const { rr, keys, relay: start } = await streamWith(3);
    const bad = keys[1]!.userRef;
    const seen: string[] = [];
    const relay = start(async (entries) => {
      if (entries.some((e) => e.userRef === bad)) throw new Error('invalid payload');
      seen.push(...entries.map((e) => e.userRef));
    });
    try {
      const stream = outboxStreamKey(rr.prefix);
      await waitUntil(async () => (await rr.redis.xlen(stream)) === 0, 'stream drained', 15_000);
      expect(seen.sort()).toEqual([keys[0]!.userRef, keys[2]!.userRef].sort());
      const parked = await rr.redis.xrange(`${stream}:parked`, '-', '+');
      expect(parked).toHaveLength(1);
      expect(readOutboxEntry(parked[0]![1])?.userRef).toBe(bad);
    } finally {
      await relay.close();
      await rr.close();
    }
  });
});
