import { decodeCallbackData, isActive } from '../../engine/index.js';
import type { ChannelInput } from '../../conversations/channel-input.js';
import type { Db } from '../../db/prisma-client.js';
import { normalizeShortCode } from '../../invitations/invitation-codes.js';
import type { SessionStore } from '../../conversations/session-store.js';

export type ZaloInputDeps = { db: Db; store: SessionStore; now: Date };

const START = /^\/start(?:@\w+)?(?:\s+(\S+))?$/i;
/** Invitations a shared phone or a follow may still open. */
const PENDING = ['created', 'queued', 'sent'] as const;

/** A typed code starts a survey when nothing is under way, or when it is a real invitation's code. */
async function codeStarts(deps: ZaloInputDeps, userId: string, code: string): Promise<boolean> {
  const env = await deps.store.load({ channel: 'zalo', userRef: userId });
  if (!env.session || !isActive(env.session)) return true;
  return (await deps.db.invitation.count({ where: { code } })) > 0;
}

/**
 * A `user_send_text` for the engine: "/start [code|token]", a button payload
 * (`oa.query.hide` comes back as text) as a choice, a survey code as a start, anything
 * else as typed text (answers and commands such as "dừng", "quay lại", "/help").
 */
export async function zaloTextInput(deps: ZaloInputDeps, userId: string, text: string): Promise<ChannelInput> {
  const trimmed = text.trim();
  const start = START.exec(trimmed);
  if (start) {
    const arg = start[1];
    const code = arg ? normalizeShortCode(arg) : undefined;
    return code ? { type: 'start', shortCode: code } : { type: 'start', ...(arg ? { payload: arg } : {}) };
  }
  const choice = decodeCallbackData(trimmed);
  if (choice) return choice;
  const code = normalizeShortCode(trimmed);
  if (code && (await codeStarts(deps, userId, code))) return { type: 'start', shortCode: code };
  return { type: 'text', text };
}

/**
 * `follow`: an invitation waiting for this Zalo user starts; otherwise a start without
 * payload, which resumes a survey under way (or one stopped by an unfollow) and else
 * offers the open survey with its introduction.
 */
export async function zaloFollowInput(deps: ZaloInputDeps, userId: string): Promise<ChannelInput> {
  const inv = await deps.db.invitation.findFirst({
    where: { channel: 'zalo', recipientZaloId: userId, status: { in: [...PENDING] }, expiresAt: { gt: deps.now } },
    orderBy: { createdAt: 'desc' },
    select: { code: true },
  });
  return inv ? { type: 'start', shortCode: inv.code } : { type: 'start' };
}

/**
 * `user_submit_info` with a phone (already normalised to 84…): the newest pending Zalo
 * invitation for that phone starts. The phone itself goes no further (answers stay anonymous).
 */
export async function zaloContactInput(deps: ZaloInputDeps, phone: string | undefined): Promise<ChannelInput> {
  const inv = phone
    ? await deps.db.invitation.findFirst({
        where: { channel: 'zalo', recipientPhone: phone, status: { in: [...PENDING] }, expiresAt: { gt: deps.now } },
        orderBy: { createdAt: 'desc' },
        select: { code: true },
      })
    : null;
  return inv ? { type: 'start', shortCode: inv.code } : { type: 'contact', phone: '' };
}
