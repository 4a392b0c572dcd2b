import { type Effect } from '../engine/index.js';
import type { RedisClient } from '../queues/redis-connection.js';
import { enqueueOutbound } from '../outbound/enqueue-outbound.js';
import { outboundJobs, reminderJob } from '../queues/job-catalog.js';
import type { JobQueues } from '../queues/job-queues.js';
import { QUEUE } from '../queues/queue-names.js';
import type { AnswersBatcher } from './answers-batcher.js';
import type { Outbox } from './session-envelope.js';
import type { SessionKey } from '../core/user-hash.js';
import { countMarkOf } from '../responses/counted-marks.js';

const REMINDER_SET_TTL_S = 60 * 24 * 3600;

/**
 * Hands an outbox to the queues. Every job id derives from the outbox id, so flushing
 * the same outbox twice (after a crash, or by a retried delivery) adds nothing twice.
 */
export type FlushDeps = {
  queues: JobQueues;
  answers: AnswersBatcher;
  redis: RedisClient;
  prefix: string;
  now: () => Date;
  pseudonymKey: string;
  /** The counting period of a completion at a unit (the open round, else the year). */
  periodOf: (unitCode: string, at: Date) => Promise<string>;
};

/** The one-per-person marks of the responses this outbox completes (the worker claims them; see responses/counted-marks.ts). */
async function countMarks(deps: FlushDeps, key: SessionKey, effects: Effect[]) {
  const marks = [];
  for (const e of effects) {
    if (e.type !== 'response_completed' || !e.unitCode) continue;
    const period = await deps.periodOf(e.unitCode, new Date(e.at));
    marks.push({ responseId: e.responseId, mark: countMarkOf(deps.pseudonymKey, key, e.unitCode, period), period });
  }
  return marks;
}

export async function flushOutbox(deps: FlushDeps, key: SessionKey, outbox: Outbox): Promise<void> {
  const { queues } = deps;
  const persisted = outbox.effects.filter((e) => e.type !== 'schedule_reminder' && e.type !== 'cancel_reminders');
  const tasks: Promise<unknown>[] = [];
  if (persisted.length) {
    const marks = await countMarks(deps, key, persisted);
    tasks.push(deps.answers.submit({ outboxId: outbox.id, respondent: { channel: key.channel as 'telegram', externalId: key.userRef }, effects: persisted, ...(marks.length ? { countMarks: marks } : {}) }));
  }
  if (outbox.messages.length) {
    const job = outboundJobs[key.channel as keyof typeof outboundJobs];
    tasks.push(enqueueOutbound({ queues, redis: deps.redis, prefix: deps.prefix }, job, { batchId: outbox.id, userRef: key.userRef, messages: outbox.messages, kind: outbox.kind ?? 'reply' }));
  }
  for (const e of outbox.effects) tasks.push(applyReminderEffect(deps, key, e));
  await Promise.all(tasks);
}

async function applyReminderEffect(deps: FlushDeps, key: SessionKey, e: Effect): Promise<void> {
  const setKey = (responseId: string) => `${deps.prefix}:rem:${responseId}`;
  if (e.type === 'schedule_reminder') {
    const delay = Math.max(0, new Date(e.runAt).getTime() - deps.now().getTime());
    const payload = { jobKey: e.jobId, channel: key.channel as 'telegram', userRef: key.userRef, responseId: e.responseId };
    const jobId = reminderJob.jobId(payload);
    // One pending timer per response: the newest replaces the earlier ones.
    const earlier = (await deps.redis.smembers(setKey(e.responseId))).filter((id) => id !== jobId);
    const queue = deps.queues.queue(QUEUE.reminders);
    await Promise.all(earlier.map((id) => queue.remove(id).catch(() => 0)));
    await deps.queues.add(reminderJob, payload, { delay });
    const multi = deps.redis.multi();
    if (earlier.length) multi.srem(setKey(e.responseId), ...earlier);
    await multi.sadd(setKey(e.responseId), jobId).expire(setKey(e.responseId), REMINDER_SET_TTL_S).exec();
  } else if (e.type === 'cancel_reminders') {
    const ids = await deps.redis.smembers(setKey(e.responseId));
    const queue = deps.queues.queue(QUEUE.reminders);
    // A reminder that fires anyway is harmless: the engine ignores timers of finished sessions.
    await Promise.all(ids.map((id) => queue.remove(id).catch(() => 0)));
    await deps.redis.del(setKey(e.responseId));
  }
}
