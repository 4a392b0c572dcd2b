import { hostname } from 'node:os';
import type { RedisClient } from './redis-connection.js';

/** A worker process says it is alive this often; it counts as gone when silent for `HEARTBEAT_STALE_MS`. */
export const HEARTBEAT_EVERY_MS = 5_000;
export const HEARTBEAT_STALE_MS = 20_000;

const workersKey = (prefix: string) => `${prefix}:workers`;
const lastJobKey = (prefix: string) => `${prefix}:lastjob`;
const outageRetriesKey = (prefix: string) => `${prefix}:outage-retries`;

export type WorkerBeat = { id: string; lastBeatMs: number };
export type WorkersState = { alive: WorkerBeat[]; lastJobAt: Record<string, number>; outageRetries: Record<string, number> };

/**
 * Each worker process writes a heartbeat (a sorted set of process id → time), for the
 * queues it finished jobs on since the last beat when it last did, and how many jobs it
 * postponed because a dependency was down (deployment-wide counts per queue). `/readyz`
 * and `/metrics` of any web process read them; nothing personal is in any of them.
 */
export function startHeartbeat(redis: RedisClient, prefix: string, onError: (err: Error) => void): { jobDone(queue: string): void; outageRetry(queue: string): void; stop(): Promise<void> } {
  const id = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  let done = new Map<string, number>();
  let retried = new Map<string, number>();
  const beat = async () => {
    const now = Date.now();
    const [finished, postponed] = [done, retried];
    [done, retried] = [new Map(), new Map()];
    const multi = redis.multi().zadd(workersKey(prefix), now, id).zremrangebyscore(workersKey(prefix), '-inf', now - 10 * HEARTBEAT_STALE_MS);
    if (finished.size) multi.hset(lastJobKey(prefix), Object.fromEntries(finished));
    for (const [queue, n] of postponed) multi.hincrby(outageRetriesKey(prefix), queue, n);
    try {
      await multi.exec();
    } catch (err) {
      // Counts of a failed beat are kept for the next one (Redis itself may be the outage).
      for (const [queue, n] of postponed) retried.set(queue, (retried.get(queue) ?? 0) + n);
      throw err;
    }
  };
  const tick = () => void beat().catch(onError);
  tick();
  const timer = setInterval(tick, HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    jobDone(queue) {
      done.set(queue, Date.now());
    },
    outageRetry(queue) {
      retried.set(queue, (retried.get(queue) ?? 0) + 1);
    },
    async stop() {
      clearInterval(timer);
      // Gone at once rather than after the stale window: a graceful stop is not a crash.
      await beat().catch(() => undefined);
      await redis.zrem(workersKey(prefix), id).catch(() => undefined);
    },
  };
}

/** The worker processes heard from within `HEARTBEAT_STALE_MS`, and when each queue last finished a job. */
export async function readWorkers(redis: RedisClient, prefix: string, now = Date.now()): Promise<WorkersState> {
  const [beats, lastJobs, retries] = await Promise.all([
    redis.zrangebyscore(workersKey(prefix), now - HEARTBEAT_STALE_MS, '+inf', 'WITHSCORES'),
    redis.hgetall(lastJobKey(prefix)),
    redis.hgetall(outageRetriesKey(prefix)),
  ]);
  const alive: WorkerBeat[] = [];
  for (let i = 0; i < beats.length; i += 2) alive.push({ id: beats[i]!, lastBeatMs: Number(beats[i + 1]) });
  const numbers = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Number(v)]));
  return { alive, lastJobAt: numbers(lastJobs), outageRetries: numbers(retries) };
}
