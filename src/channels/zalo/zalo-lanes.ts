import type { LaneOptions } from '../../outbound/chat-lanes.js';
import { LANE_GAP_TIMEOUT_MS } from '../../outbound/outbound-lanes.js';

/** Zalo has no per-chat rate and its OA rate is kept by the queue's BullMQ limiter: order only. */
export const ZALO_LANES: LaneOptions = {
  chatIntervalMs: 0,
  slotMs: 0,
  windowMax: 0,
  windowMs: 1000,
  maxInlineWaitMs: 2000,
  gapTimeoutMs: LANE_GAP_TIMEOUT_MS,
  pollMs: 200,
};
