import { createHash } from 'node:crypto';

/** A conversation partner on one channel: the platform's own id (chat id, OA-scoped user id). */
export type SessionKey = { channel: string; userRef: string };

/** Opaque id of a conversation partner, safe for job ids, Redis key names and logs (no chat id inside). */
export function userHash(key: SessionKey): string {
  return createHash('sha256').update(`${key.channel}:${key.userRef}`).digest('base64url').slice(0, 22);
}
