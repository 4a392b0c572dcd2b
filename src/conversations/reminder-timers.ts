import type { Effect } from '../engine/index.js';
import type { SessionKey } from '../core/user-hash.js';
import { reminderJob } from '../queues/job-catalog.js';
import type { JobQueues } from '../queues/job-queues.js';
import { QUEUE } from '../queues/queue-names.js';
import type { RedisClient } from '../queues/redis-connection.js';

export type TimerDeps = { queues: JobQueues; redis: RedisClient; prefix: string; now: () => Date };

/** The marker of a response's pending timer: `<job id> <run at ms>`. */
const markerKey = (prefix: string, responseId: string) => `${prefix}:remq:${responseId}`;
/** The marker outlives its timer by this much (a timer held back by quiet hours still finds it). */
const MARKER_SLACK_MS = 2 * 24 * 3600_000;

function readMarker(value: string | null): { jobId: string; runAt: number } | undefined {
  const [jobId, runAt] = (value ?? '').split(' ');
  return jobId && runAt ? { jobId, runAt: Number(runAt) } : undefined;
}

/**
 * A response's reminder timer. The engine asks for one after every answer, each due later
 * than the last (it counts from the last activity); a timer that fires early only asks
 * for the next one (engine/timers.ts). So a pending timer due no later than the new one is
 * kept — one read instead of replacing a delayed job on every answer — and only a timer
 * due later than asked (a shorter delay) is replaced.
 */
export async function scheduleReminder(deps: TimerDeps, key: SessionKey, e: Extract<Effect, { type: 'schedule_reminder' }>): Promise<void> {
  const runAt = new Date(e.runAt).getTime();
  const marker = markerKey(deps.prefix, e.responseId);
  const pending = readMarker(await deps.redis.get(marker));
  if (pending && pending.runAt <= runAt) return;
  const payload = { jobKey: e.jobId, channel: key.channel as 'telegram', userRef: key.userRef, responseId: e.responseId };
  if (pending) await deps.queues.queue(QUEUE.reminders).remove(pending.jobId).catch(() => 0);
  const delay = Math.max(0, runAt - deps.now().getTime());
  await deps.queues.add(reminderJob, payload, { delay });
  await deps.redis.set(marker, `${reminderJob.jobId(payload)} ${runAt}`, 'PX', delay + MARKER_SLACK_MS);
}

/** The response ended: its pending timer goes (one that fires anyway is ignored by the engine). */
export async function cancelReminders(deps: TimerDeps, responseId: string): Promise<void> {
  const marker = markerKey(deps.prefix, responseId);
  const pending = readMarker(await deps.redis.get(marker));
  if (pending) await deps.queues.queue(QUEUE.reminders).remove(pending.jobId).catch(() => 0);
  await deps.redis.del(marker);
}

/** A timer fires: it is no longer pending, so the next one the engine asks for is added. */
export async function reminderFired(redis: RedisClient, prefix: string, responseId: string, jobId: string): Promise<void> {
  const marker = markerKey(prefix, responseId);
  if (readMarker(await redis.get(marker))?.jobId === jobId) await redis.del(marker);
}
