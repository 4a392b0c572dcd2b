import type { AppContext } from '../../core/app-context.js';
import type { OutboundJob } from '../../queues/job-catalog.js';

/** Where the terminal simulator reads the bot's messages for one simulated citizen. */
export const simulatorInboxKey = (prefix: string, userRef: string) => `${prefix}:sim:${userRef}`;

/** The simulator channel's "platform": a Redis list per simulated citizen. */
export async function deliverSimulator(ctx: AppContext, payload: OutboundJob): Promise<void> {
  if (!payload.messages.length) return;
  const key = simulatorInboxKey(ctx.config.redisPrefix, payload.userRef);
  await ctx.redis.multi().rpush(key, ...payload.messages.map((m) => JSON.stringify(m))).expire(key, 24 * 3600).exec();
}
