import type { Redis } from 'ioredis';
import { QUEUE } from '../queues/queue-names.js';
import { ChatLanes, type LaneOptions } from './chat-lanes.js';

/**
 * Telegram's limits for a bot: about 30 messages per second overall and one message per
 * second to one chat. The bot-wide rate is 25/s in evenly spaced slots (one every 40 ms);
 * on top, the send log caps any rolling second at 28 sends however requests are delayed
 * or bunched on the way (a CPU-starved worker, network jitter), below Telegram's 30.
 */
export const TELEGRAM_MESSAGES_PER_SECOND = 25;
export const TELEGRAM_MAX_IN_ANY_SECOND = 28;
/** Telegram sends in flight per worker process (each holds its reserved pacer slot while it waits for it). */
export const TELEGRAM_SEND_CONCURRENCY = 16;

const GAP_TIMEOUT_MS = 5 * 60_000;

export const TELEGRAM_LANES: LaneOptions = {
  chatIntervalMs: 1000,
  slotMs: Math.ceil(1000 / TELEGRAM_MESSAGES_PER_SECOND),
  windowMax: TELEGRAM_MAX_IN_ANY_SECOND,
  windowMs: 1000,
  maxInlineWaitMs: 2000,
  gapTimeoutMs: GAP_TIMEOUT_MS,
  pollMs: 250,
};

/** Zalo has no per-chat rate and its OA rate is kept by the queue's BullMQ limiter: order only. */
export const ZALO_LANES: LaneOptions = {
  chatIntervalMs: 0,
  slotMs: 0,
  windowMax: 0,
  windowMs: 1000,
  maxInlineWaitMs: 2000,
  gapTimeoutMs: GAP_TIMEOUT_MS,
  pollMs: 200,
};

export type OutboundLanes = { telegram: ChatLanes; zalo: ChatLanes };

export function outboundLanes(redis: Redis, prefix: string, overrides: { telegram?: Partial<LaneOptions>; zalo?: Partial<LaneOptions> } = {}): OutboundLanes {
  return {
    telegram: new ChatLanes(redis, prefix, 'telegram', QUEUE.outboundTelegram, { ...TELEGRAM_LANES, ...overrides.telegram }),
    zalo: new ChatLanes(redis, prefix, 'zalo', QUEUE.outboundZalo, { ...ZALO_LANES, ...overrides.zalo }),
  };
}
