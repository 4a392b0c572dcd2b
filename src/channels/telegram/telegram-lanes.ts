import type { LaneOptions } from '../../outbound/chat-lanes.js';
import { LANE_GAP_TIMEOUT_MS } from '../../outbound/outbound-lanes.js';

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

export const TELEGRAM_LANES: LaneOptions = {
  chatIntervalMs: 1000,
  slotMs: Math.ceil(1000 / TELEGRAM_MESSAGES_PER_SECOND),
  windowMax: TELEGRAM_MAX_IN_ANY_SECOND,
  windowMs: 1000,
  maxInlineWaitMs: 2000,
  gapTimeoutMs: LANE_GAP_TIMEOUT_MS,
  pollMs: 250,
};
