import { handleEvent, type Channel, type EngineContext, type InboundEvent, type OutboundMessage, type Session } from '../engine/index.js';
import { createHash } from 'node:crypto';
import { withResponseSeed } from './with-response-seed.js';
import { SEEN_EVENTS_KEPT, type Outbox, type SessionEnvelope } from './session-envelope.js';
import { userHash, type SessionKey } from '../core/user-hash.js';
import type { ReplyLane, SessionStore } from './session-store.js';

export type InboundRequest = {
  channel: Channel;
  userRef: string;
  /** Platform id of the delivery (Telegram update_id, Zalo msg_id): applied at most once. */
  eventId: string;
  event: InboundEvent;
};

export type ApplyResult = { outcome: 'applied' | 'duplicate'; messages: OutboundMessage[]; session: Session | null };

export type ApplyDeps = {
  store: SessionStore;
  engineContext: (channel: Channel) => EngineContext;
  /** Where an outbox's replies are numbered for per-chat order (undefined: the channel keeps no order). */
  replyLane: (key: SessionKey, outboxId: string) => ReplyLane | undefined;
  /** Rebuilds a session lost from Redis out of PostgreSQL (undefined: none to rebuild). */
  rebuild?: (key: SessionKey, ctx: EngineContext) => Promise<Session | undefined>;
};

export class SessionConflictError extends Error {
  override name = 'SessionConflictError';
}

const MAX_CAS_ATTEMPTS = 8;

const eventTag = (eventId: string) => createHash('sha256').update(eventId).digest('base64url').slice(0, 10);

const entryOf = (key: SessionKey, outbox: Outbox) => JSON.stringify({ channel: key.channel, userRef: key.userRef, outbox });

/**
 * Applies one inbound event to a citizen's conversation: load (this process's last copy
 * when it has one), dedupe, run the pure engine, then commit — the session, its outbox
 * appended to the outbox stream and its replies numbered in the chat's lane, in one
 * script (the workers' relay turns the outbox into jobs). A lost race brings the stored
 * envelope back and re-runs; a retried delivery finds its event id in `seen`.
 */
export async function applyInbound(deps: ApplyDeps, req: InboundRequest): Promise<ApplyResult> {
  const key: SessionKey = { channel: req.channel, userRef: req.userRef };
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const env = await deps.store.loadForUpdate(key);
    // An outbox kept in the session (written before the outbox stream) is handed over with the next commit.
    const carried = env.outbox ? { carried: entryOf(key, env.outbox) } : {};
    if (env.seen.includes(req.eventId)) {
      // A copy may remember a write Redis has since lost (a failover): a duplicate is confirmed by what is stored.
      const stored = await deps.store.load(key);
      if (stored.v !== env.v || stored.token !== env.token) continue;
      if (env.outbox && !(await deps.store.commit(key, env, { ...env, v: env.v + 1, outbox: null }, carried)).ok) continue;
      return { outcome: 'duplicate', messages: [], session: env.session };
    }

    const ctx = deps.engineContext(req.channel);
    let session = env.session;
    if (!session && req.event.type !== 'start' && deps.rebuild) session = (await deps.rebuild(key, ctx)) ?? null;
    const result = handleEvent(session, req.event, ctx);

    const v = env.v + 1;
    const outbox: Outbox = {
      // The event id keeps ids unique even when a lost session restarts its versions at 0.
      id: `${userHash(key)}-${v}-${eventTag(req.eventId)}`,
      effects: withResponseSeed(result.effects, result.session),
      messages: result.messages,
      ...(req.event.type === 'timer' ? { kind: 'reminder' as const } : {}),
    };
    const next: SessionEnvelope = { v, session: result.session, seen: [req.eventId, ...env.seen].slice(0, SEEN_EVENTS_KEPT), outbox: null };
    const handOver = outbox.effects.length || outbox.messages.length;
    const lane = outbox.messages.length ? deps.replyLane(key, outbox.id) : undefined;
    const committed = await deps.store.commit(key, env, next, { ...carried, ...(handOver ? { entry: entryOf(key, outbox) } : {}), ...(lane ? { lane } : {}) });
    if (!committed.ok) continue;
    return { outcome: 'applied', messages: result.messages, session: result.session };
  }
  throw new SessionConflictError('too many concurrent updates for one conversation');
}
