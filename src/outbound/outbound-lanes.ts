import type { RedisClient } from '../queues/redis-connection.js';
import { QUEUE } from '../queues/queue-names.js';
import { ChatLanes, type LaneChannel, type LaneOptions } from './chat-lanes.js';

/** A chat whose next job was numbered but never appeared is unblocked after this long. */
export const LANE_GAP_TIMEOUT_MS = 5 * 60_000;

/** The outbound queue of each channel whose jobs are sent in per-chat order. */
export const LANE_QUEUES: Record<Exclude<LaneChannel, 'simulator'>, string> = {
  telegram: QUEUE.outboundTelegram,
  zalo: QUEUE.outboundZalo,
};

/**
 * Numbering a job needs only the lane's key, not the channel's pacing: enqueuers use
 * these options; the channel's worker builds its lanes with the platform's limits.
 */
const NUMBERING_ONLY: LaneOptions = { chatIntervalMs: 0, slotMs: 0, windowMax: 0, windowMs: 1000, maxInlineWaitMs: 0, gapTimeoutMs: LANE_GAP_TIMEOUT_MS, pollMs: 200 };

/** The lanes of one channel's outbound queue, paced by `options` (the channel slice's limits). */
export function laneFor(redis: RedisClient, prefix: string, channel: Exclude<LaneChannel, 'simulator'>, options: LaneOptions = NUMBERING_ONLY): ChatLanes {
  return new ChatLanes(redis, prefix, channel, LANE_QUEUES[channel], options);
}

/** The channel whose lanes order the jobs of `queue`, if any (the simulator's queue is unordered). */
export function laneChannelOf(queue: string): Exclude<LaneChannel, 'simulator'> | undefined {
  return (Object.keys(LANE_QUEUES) as Exclude<LaneChannel, 'simulator'>[]).find((c) => LANE_QUEUES[c] === queue);
}
