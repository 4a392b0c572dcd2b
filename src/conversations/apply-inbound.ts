import { handleEvent, type Channel, type EngineContext, type InboundEvent, type OutboundMessage, type Session } from '../engine/index.js';
import { createHash } from 'node:crypto';
import { withResponseSeed } from './with-response-seed.js';
import { SEEN_EVENTS_KEPT, type SessionEnvelope } from './session-envelope.js';
import { userHash, type SessionKey } from '../core/user-hash.js';
import type { SessionStore } from './session-store.js';

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
  flush: (key: SessionKey, outbox: NonNullable<SessionEnvelope['outbox']>) => Promise<void>;
  /** Rebuilds a session lost from Redis out of PostgreSQL (undefined: none to rebuild). */
  rebuild?: (key: SessionKey, ctx: EngineContext) => Promise<Session | undefined>;
};

export class SessionConflictError extends Error {
  override name = 'SessionConflictError';
}

const MAX_CAS_ATTEMPTS = 8;

const eventTag = (eventId: string) => createHash('sha256').update(eventId).digest('base64url').slice(0, 10);

/**
 * Applies one inbound event to a citizen's conversation: load, dedupe, run the pure
 * engine, compare-and-set the new session with its outbox, then flush the outbox to
 * the queues. A lost race re-reads and re-runs; a retried delivery finds its event
 * id in `seen` and only re-flushes.
 */
export async function applyInbound(deps: ApplyDeps, req: InboundRequest): Promise<ApplyResult> {
  const key: SessionKey = { channel: req.channel, userRef: req.userRef };
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
    const env = await deps.store.load(key);
    // An outbox still present means its writer died before handing it to the queues.
    if (env.outbox) {
      await deps.flush(key, env.outbox);
      await deps.store.clearOutbox(key, env);
    }
    if (env.seen.includes(req.eventId)) return { outcome: 'duplicate', messages: [], session: env.session };

    const ctx = deps.engineContext(req.channel);
    let session = env.session;
    if (!session && req.event.type !== 'start' && deps.rebuild) session = (await deps.rebuild(key, ctx)) ?? null;
    const result = handleEvent(session, req.event, ctx);

    const v = env.v + 1;
    const outbox = {
      // The event id keeps ids unique even when a lost session restarts its versions at 0.
      id: `${userHash(key)}-${v}-${eventTag(req.eventId)}`,
      effects: withResponseSeed(result.effects, result.session),
      messages: result.messages,
      ...(req.event.type === 'timer' ? { kind: 'reminder' as const } : {}),
    };
    const next: SessionEnvelope = { v, session: result.session, seen: [req.eventId, ...env.seen].slice(0, SEEN_EVENTS_KEPT), outbox };
    if (!(await deps.store.compareAndSet(key, env.v, next))) continue;
    await deps.flush(key, outbox);
    await deps.store.clearOutbox(key, next);
    return { outcome: 'applied', messages: result.messages, session: result.session };
  }
  throw new SessionConflictError('too many concurrent updates for one conversation');
}
