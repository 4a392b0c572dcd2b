import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyInbound, type ApplyDeps } from '../../src/conversations/apply-inbound.js';
import type { Outbox } from '../../src/conversations/session-envelope.js';
import { userHash, type SessionKey } from '../../src/core/user-hash.js';
import { SessionStore } from '../../src/conversations/session-store.js';
import { Chat, invitation } from '../engine/driver.js';
import { createTestRedis, type TestRedis } from '../support/test-redis.js';

let r: TestRedis;
let store: SessionStore;
let n = 0;
const newKey = (): SessionKey => ({ channel: 'telegram', userRef: String(900_000 + ++n) });

beforeAll(async () => {
  r = await createTestRedis();
  store = new SessionStore(r.redis, r.prefix, 60_000);
});
afterAll(async () => {
  await r.close();
});

/** applyInbound over the real store, with a flush that records outboxes and can be made to fail. */
function deps(flushed: Outbox[], failNext = { count: 0 }): ApplyDeps {
  const chat = new Chat();
  return {
    store,
    engineContext: () => chat.ctx(),
    flush: async (_key, outbox) => {
      if (failNext.count > 0) {
        failNext.count--;
        throw new Error('queue unreachable');
      }
      flushed.push(outbox);
    },
  };
}

describe('SessionStore (Redis)', () => {
  it('writes the session and its outbox in one compare-and-set; clearing drops only the outbox', async () => {
    const key = newKey();
    const flushed: Outbox[] = [];
    const result = await applyInbound(deps(flushed), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    expect(result.outcome).toBe('applied');
    expect(flushed).toHaveLength(1);
    const env = await store.load(key);
    expect(env.v).toBe(1);
    expect(env.outbox).toBeNull();
    expect(env.seen).toEqual(['u1']);
    expect(env.session?.phase).toBe(result.session?.phase);
    expect(await r.redis.hexists(`${r.prefix}:sess:${userHash(key)}`, 'ob')).toBe(0);
  });

  it('refuses a write based on a stale version', async () => {
    const key = newKey();
    const env = await store.load(key);
    expect(await store.compareAndSet(key, env.v, { ...env, v: env.v + 1 })).toBe(true);
    expect(await store.compareAndSet(key, env.v, { ...env, v: env.v + 1 })).toBe(false);
    expect((await store.load(key)).v).toBe(1);
  });

  it('keeps the outbox of a writer that failed to hand it over, and the next event hands it over first', async () => {
    const key = newKey();
    const flushed: Outbox[] = [];
    const failing = { count: 1 };
    const d = deps(flushed, failing);
    await expect(applyInbound(d, { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() })).rejects.toThrow(/unreachable/);
    const left = await store.load(key);
    expect(left.outbox?.messages.length).toBeGreaterThan(0);

    // Telegram redelivers the same update: it is a duplicate, but the pending outbox goes out.
    const again = await applyInbound(d, { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    expect(again.outcome).toBe('duplicate');
    expect(flushed.map((o) => o.id)).toEqual([left.outbox!.id]);
    expect((await store.load(key)).outbox).toBeNull();
  });

  it('does not drop a newer outbox when an older writer clears late', async () => {
    const key = newKey();
    await applyInbound(deps([]), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    const v1 = await store.load(key);
    const outbox: Outbox = { id: 'newer', effects: [], messages: [{ type: 'text', text: 'Xin chào' }] };
    expect(await store.compareAndSet(key, v1.v, { ...v1, v: v1.v + 1, outbox })).toBe(true);
    await store.clearOutbox(key, v1);
    expect((await store.load(key)).outbox?.id).toBe('newer');
  });

  it('reads a document written before the outbox had its own field', async () => {
    const key = newKey();
    await applyInbound(deps([]), { channel: 'telegram', userRef: key.userRef, eventId: 'u1', event: invitation() });
    const env = await store.load(key);
    const outbox: Outbox = { id: 'legacy', effects: [], messages: [{ type: 'text', text: 'Câu hỏi' }] };
    await r.redis.hset(`${r.prefix}:sess:${userHash(key)}`, 'doc', JSON.stringify({ v: env.v, session: env.session, seen: env.seen, outbox }));
    const read = await store.load(key);
    expect(read.outbox?.id).toBe('legacy');
    expect(read.session).toEqual(env.session);
  });

  it('reads an unreadable document as lost, keeping its version for the compare-and-set', async () => {
    const key = newKey();
    await r.redis.hset(`${r.prefix}:sess:${userHash(key)}`, 'v', '7', 'doc', '{not json');
    const read = await store.load(key);
    expect(read).toMatchObject({ v: 7, session: null, outbox: null });
  });
});
