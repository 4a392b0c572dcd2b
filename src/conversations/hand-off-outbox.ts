import { type Effect } from '../engine/index.js';
import type { RedisClient } from '../queues/redis-connection.js';
import { randomUUID } from 'node:crypto';
import { enqueueOutboundMany } from '../outbound/enqueue-outbound.js';
import { MAX_ITEMS_PER_JOB, outboundJobs, persistAnswersJob, type AnswersItem } from '../queues/job-catalog.js';
import type { JobQueues } from '../queues/job-queues.js';
import type { OutboxEntry } from './outbox-stream.js';
import { cancelReminders, scheduleReminder } from './reminder-timers.js';
import type { SessionKey } from '../core/user-hash.js';
import { countMarkOf } from '../responses/counted-marks.js';

/**
 * Hands outboxes to the queues. Every job id derives from the outbox id, so handing the
 * same outbox over twice (after a crash, or a relay's retry) adds nothing twice.
 */
export type HandOverDeps = {
  queues: JobQueues;
  redis: RedisClient;
  prefix: string;
  now: () => Date;
  pseudonymKey: string;
  /** The counting period of a completion at a unit (the open round, else the year). */
  periodOf: (unitCode: string, at: Date) => Promise<string>;
};

/** The one-per-person marks of the responses this outbox completes (the worker claims them; see responses/counted-marks.ts). */
async function countMarks(deps: HandOverDeps, key: SessionKey, effects: Effect[]) {
  const marks = [];
  for (const e of effects) {
    if (e.type !== 'response_completed' || !e.unitCode) continue;
    const period = await deps.periodOf(e.unitCode, new Date(e.at));
    marks.push({ responseId: e.responseId, mark: countMarkOf(deps.pseudonymKey, key, e.unitCode, period), period });
  }
  return marks;
}

const isTimerEffect = (e: Effect) => e.type === 'schedule_reminder' || e.type === 'cancel_reminders';

/**
 * Hands a batch of outboxes (in the order they were written) to the queues: their answers
 * in as few `persist-answers` jobs as fit, their replies as one bulk add per channel (in
 * order, so a chat's numbered jobs appear in the order of their numbers), and their timers.
 */
export async function handOverOutboxes(deps: HandOverDeps, entries: OutboxEntry[]): Promise<void> {
  const items: AnswersItem[] = [];
  for (const { channel, userRef, outbox } of entries) {
    const key: SessionKey = { channel, userRef };
    const persisted = outbox.effects.filter((e) => !isTimerEffect(e));
    if (!persisted.length) continue;
    const marks = await countMarks(deps, key, persisted);
    items.push({ outboxId: outbox.id, respondent: { channel: channel as 'telegram', externalId: userRef }, effects: persisted, ...(marks.length ? { countMarks: marks } : {}) });
  }
  const tasks: Promise<unknown>[] = [];
  for (let i = 0; i < items.length; i += MAX_ITEMS_PER_JOB) tasks.push(deps.queues.add(persistAnswersJob, { batchId: randomUUID(), items: items.slice(i, i + MAX_ITEMS_PER_JOB) }));

  for (const channel of new Set(entries.map((e) => e.channel))) {
    const replies = entries.filter((e) => e.channel === channel && e.outbox.messages.length);
    if (!replies.length) continue;
    const payloads = replies.map(({ userRef, outbox, seq }) => ({ batchId: outbox.id, userRef, messages: outbox.messages, kind: outbox.kind ?? 'reply', ...(seq ? { seq } : {}) }));
    tasks.push(enqueueOutboundMany({ queues: deps.queues, redis: deps.redis, prefix: deps.prefix }, outboundJobs[channel as keyof typeof outboundJobs], payloads));
  }

  // A response's timers in the order written (the newest replaces the earlier ones); responses side by side.
  const timers = new Map<string, { key: SessionKey; effect: Effect }[]>();
  for (const { channel, userRef, outbox } of entries) {
    for (const effect of outbox.effects.filter(isTimerEffect)) {
      const id = (effect as { responseId: string }).responseId;
      timers.set(id, [...(timers.get(id) ?? []), { key: { channel, userRef }, effect }]);
    }
  }
  for (const chain of timers.values()) {
    tasks.push(chain.reduce((prev, { key, effect }) => prev.then(() => applyReminderEffect(deps, key, effect)), Promise.resolve()));
  }
  await Promise.all(tasks);
}

function applyReminderEffect(deps: HandOverDeps, key: SessionKey, e: Effect): Promise<void> {
  if (e.type === 'schedule_reminder') return scheduleReminder(deps, key, e);
  if (e.type === 'cancel_reminders') return cancelReminders(deps, e.responseId);
  return Promise.resolve();
}
