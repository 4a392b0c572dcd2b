import { createHash } from 'node:crypto';
import type { ChannelInput } from '../../conversations/channel-input.js';
import type { ConversationService } from '../../conversations/conversation-service.js';
import { enqueueOutbound } from '../../outbound/enqueue-outbound.js';
import { outboundJobs } from '../../queues/job-catalog.js';
import type { AppContext } from '../../core/app-context.js';
import type { ZaloInboundDelivery } from './to-zalo-inbound.js';
import { zaloContactInput, zaloFollowInput, zaloTextInput, type ZaloInputDeps } from './zalo-channel-input.js';
import { clearZaloUnreachable } from './zalo-recipient-records.js';
import { ZALO_VI } from './zalo-texts-vi.js';

export type ZaloEventOutcome = 'applied' | 'duplicate' | 'ignored' | 'media';

const batchOf = (dedupeKey: string) => `zm-${createHash('sha256').update(dedupeKey).digest('base64url').slice(0, 24)}`;

/**
 * Applies one verified, validated Zalo event. The session envelope dedupes on the
 * delivery's key (`zalo:msg:<msg_id>` or a body digest), so a retried delivery changes
 * nothing; the media reply dedupes on its job id.
 */
export async function handleZaloEvent(ctx: AppContext, conversations: ConversationService, delivery: ZaloInboundDelivery): Promise<ZaloEventOutcome> {
  const { inbound, dedupeKey } = delivery;
  if (inbound.kind === 'ignored') return 'ignored';
  // A signed event stays acceptable for the signature window; the session's own list of
  // seen events is short, so every applied delivery is also remembered past that window.
  const seenKey = `${ctx.config.redisPrefix}:zseen:${createHash('sha256').update(dedupeKey).digest('base64url').slice(0, 24)}`;
  if (await ctx.redis.exists(seenKey)) return 'duplicate';
  const outcome = await applyZaloEvent(ctx, conversations, inbound, dedupeKey);
  await ctx.redis.set(seenKey, '1', 'EX', 2 * (ctx.config.zalo?.webhookMaxAgeSeconds ?? 300));
  return outcome;
}

async function applyZaloEvent(ctx: AppContext, conversations: ConversationService, inbound: Exclude<ZaloInboundDelivery['inbound'], { kind: 'ignored' }>, dedupeKey: string): Promise<ZaloEventOutcome> {
  const userId = inbound.userId;
  const deps: ZaloInputDeps = { db: ctx.db, store: conversations.store, now: ctx.now() };
  const handle = async (input: ChannelInput) => (await conversations.handle({ channel: 'zalo', userRef: userId, eventId: dedupeKey, input })).outcome;

  if (inbound.kind === 'unfollow') {
    // Zalo refuses CS messages to non-followers: mark first, so the goodbye is dropped, not retried.
    const mark = { unreachableAt: deps.now, unreachableReason: 'zalo_unfollowed' };
    await ctx.db.respondent.upsert({ where: { channel_externalId: { channel: 'zalo', externalId: userId } }, create: { channel: 'zalo', externalId: userId, ...mark }, update: mark });
    return handle({ type: 'stop' });
  }
  // Whoever writes or follows can be reached by CS again.
  await clearZaloUnreachable(ctx.db, userId);
  switch (inbound.kind) {
    case 'text':
      return handle(await zaloTextInput(deps, userId, inbound.text));
    case 'follow':
      return handle(await zaloFollowInput(deps, userId));
    case 'contact':
      return handle(await zaloContactInput(deps, inbound.phone));
    case 'media':
      // Through the chat's lane, so it keeps its place among the conversation's replies.
      await enqueueOutbound({ queues: ctx.queues, redis: ctx.redis, prefix: ctx.config.redisPrefix }, outboundJobs.zalo, { batchId: batchOf(dedupeKey), userRef: userId, messages: [{ type: 'text', text: ZALO_VI.mediaReply }] });
      return 'media';
  }
}
