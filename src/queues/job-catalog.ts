import { createHash } from 'node:crypto';
import { z } from 'zod';
import { effectSchema, outboundMessageSchema } from '../engine/index.js';
import { defineJob } from './define-job.js';
import { QUEUE, type QueueName } from './queue-names.js';

/**
 * Every background job of the product: its queue, name, payload schema (checked when
 * enqueued and again when processed), deterministic id (a retried enqueue cannot repeat a
 * side effect) and retry policy where it differs from the queue defaults
 * (`job-defaults.ts`). Handlers are registered in one place: `runtime/worker-registrations.ts`.
 */

const channel = z.enum(['telegram', 'zalo', 'simulator']);

// --- answers: the engine's effects on their way to PostgreSQL --------------------------

/**
 * The persisted effects of one applied event (one session write). `respondent` links the
 * response to the channel identity so a session lost from Redis can be rebuilt; it never
 * leaves the database.
 */
export const answersItemSchema = z.object({
  outboxId: z.string().min(1).max(200),
  respondent: z.object({ channel, externalId: z.string().min(1).max(64) }).optional(),
  effects: z.array(effectSchema).min(1),
  /** For each completing response with a unit: its one-per-person mark (a keyed hash, see responses/counted-marks.ts). */
  countMarks: z.array(z.object({ responseId: z.uuid(), mark: z.string().min(1).max(100), period: z.string().min(1).max(40) })).optional(),
});
export type AnswersItem = z.infer<typeof answersItemSchema>;

/** Most items in one job: bounds the payload (a few hundred KiB) and one transaction's size. */
export const MAX_ITEMS_PER_JOB = 250;

/** Answers jobs one worker process persists at once: a few keep both cores busy without contending on the same rollup rows. */
export const ANSWERS_CONCURRENCY = 4;

/**
 * Group commit: the items of every event applied while the previous hand-off to the
 * queue was in flight travel in one job and are persisted in one transaction
 * (see conversations/answers-batcher.ts and responses/persist-batch.ts). The id is random
 * because the same item may legitimately be handed over twice (an outbox re-flushed after
 * a crash): the database writes are idempotent, so a job id must never drop a batch.
 */
export const answersJobSchema = z.object({
  batchId: z.string().min(1).max(200),
  items: z.array(answersItemSchema).min(1).max(MAX_ITEMS_PER_JOB),
});
export type AnswersJob = z.infer<typeof answersJobSchema>;

export const persistAnswersJob = defineJob({
  queue: QUEUE.answers,
  name: 'persist-answers',
  schema: answersJobSchema,
  jobId: (p) => `ans-${p.batchId}`,
  // An outage does not count as an attempt (see QUEUE_POLICIES); these are for errors of the
  // work itself (a bug, invalid data): about 2 minutes of tries, then the dead-letter queue.
  options: { attempts: 8, backoff: { type: 'exponential', delay: 1000 } },
});

// --- outbound: messages to citizens, one queue per channel ------------------------------

/**
 * Replies to one event, sent in order by one job. `userRef` is the platform id; it lives
 * in Redis job data only. Jobs of one chat are sent in the order of `seq`, numbered at
 * enqueue by `enqueueOutbound` (see outbound/chat-lanes.ts); a job without it is sent unordered.
 */
export const outboundJobSchema = z.object({
  batchId: z.string().min(1).max(200),
  userRef: z.string().min(1).max(64),
  messages: z.array(outboundMessageSchema),
  /** invitation | reminder | reply: what the delivery log records. */
  kind: z.enum(['reply', 'invitation', 'reminder']).default('reply'),
  invitationId: z.string().optional(),
  /** Per-chat sequence number: assigned by enqueueOutbound or by the session commit that wrote the reply, never by other callers. */
  seq: z.number().int().positive().optional(),
});
export type OutboundJob = z.infer<typeof outboundJobSchema>;

const outboundJobFor = (queue: string) => defineJob({ queue, name: 'send', schema: outboundJobSchema, jobId: (p) => `out-${p.batchId}` });

export const outboundJobs = {
  telegram: outboundJobFor(QUEUE.outboundTelegram),
  zalo: outboundJobFor(QUEUE.outboundZalo),
  simulator: outboundJobFor(QUEUE.outboundSimulator),
} as const;

/**
 * Send one invitation as a ZNS template message to its phone. It runs on the OA's
 * outbound queue, so CS and ZNS sends share one rate limiter.
 */
export const znsInvitationJob = defineJob({
  queue: QUEUE.outboundZalo,
  name: 'zns-invitation',
  // `sendKey` names one sending (see invitations/invitation-send-key.ts): a resend is a new job.
  // `reminder`: the one reminder to someone who never opened it (only when ZNS reminders are enabled).
  schema: z.object({ invitationId: z.uuid(), sendKey: z.string().max(80).optional(), reminder: z.boolean().optional() }),
  jobId: (p) => `zns-${p.sendKey ?? p.invitationId}`,
});

// --- reminders: timers fed back into a conversation -------------------------------------

/** A delayed job that feeds a `timer` event to the citizen's conversation. */
export const reminderJobSchema = z.object({
  jobKey: z.string().min(1).max(120),
  channel,
  userRef: z.string().min(1).max(64),
  responseId: z.uuid(),
});
export type ReminderJob = z.infer<typeof reminderJobSchema>;

export const reminderJob = defineJob({
  queue: QUEUE.reminders,
  name: 'remind',
  schema: reminderJobSchema,
  // Hashed: job ids outlive the job in BullMQ's event stream, and the key names the response.
  jobId: (p) => `rem-${createHash('sha256').update(p.jobKey).digest('base64url').slice(0, 27)}`,
});

// --- invitations ------------------------------------------------------------------------

/** Deliver one invitation to the recipient it names (chat id, Zalo user id or phone). */
export const deliverInvitationJob = defineJob({
  queue: QUEUE.invitations,
  name: 'deliver',
  // `resend`: the officer's n-th resend, a delivery of its own (the first one's job may still be kept).
  schema: z.object({ invitationId: z.uuid(), resend: z.number().int().positive().optional() }),
  jobId: (p) => `inv-${p.invitationId}${p.resend ? `-r${p.resend}` : ''}`,
});

/**
 * The one reminder to a citizen who never opened a sent invitation, claimed by the sweep
 * below. Held back during quiet hours; the id makes a second enqueue of the same reminder a no-op.
 */
export const unopenedReminderJob = defineJob({
  queue: QUEUE.invitations,
  name: 'remind-unopened',
  schema: z.object({ invitationId: z.uuid() }),
  jobId: (p) => `unopened-${p.invitationId}`,
});

/**
 * Creates a bulk upload's invitations (see invitations/process-invitation-batch.ts). The
 * rows wait in PostgreSQL (`invitation_batches`): the payload names the batch only. A retry
 * continues after the rows already recorded.
 */
export const invitationBatchJob = defineJob({
  queue: QUEUE.invitations,
  name: 'bulk',
  schema: z.object({ batchId: z.uuid() }),
  jobId: (p) => `bulk-${p.batchId}`,
});

// --- maintenance: scheduled sweeps, one schedule per deployment --------------------------

/** Hourly sweep: invitations past their expiry that were never completed become `expired`. */
export const expireInvitationsJob = defineJob({
  queue: QUEUE.maintenance,
  name: 'expire-invitations',
  schema: z.object({}).strict(),
  jobId: () => 'expire-invitations',
});

/** Every few minutes: claims sent invitations not opened after UNOPENED_REMINDER_HOURS and enqueues their one reminder. */
export const unopenedRemindersSweepJob = defineJob({
  queue: QUEUE.maintenance,
  name: 'unopened-reminders',
  schema: z.object({}).strict(),
  // Ad-hoc runs (tests, operators) get their own id; the scheduler names its own jobs.
  jobId: () => `unopened-reminders-${Date.now()}`,
});

/**
 * Every minute (and at once after a frame upload): survey rounds' sampling work — closing
 * rounds past their last day, replacing undeliverable draws, inviting waves that are due.
 */
export const roundSamplingJob = defineJob({
  queue: QUEUE.maintenance,
  name: 'round-sampling',
  schema: z.object({}).strict(),
  // Ad-hoc runs (after an upload) get their own id; the scheduler names its own jobs.
  jobId: () => `round-sampling-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
});

/**
 * Every few minutes: answers batches that failed for good (citizens were thanked, their
 * answers are not stored) are persisted again; once the cause is fixed, none stays behind.
 */
export const repairAnswersJob = defineJob({
  queue: QUEUE.maintenance,
  name: 'repair-answers',
  schema: z.object({}).strict(),
  jobId: () => `repair-answers-${Date.now()}`,
});

/** Refreshes the Zalo OA access token before it expires (see channels/zalo/zalo-token-upkeep.ts). */
export const zaloTokenUpkeepJob = defineJob({
  queue: QUEUE.maintenance,
  name: 'zalo-token-upkeep',
  schema: z.object({ marginMs: z.number().int().nonnegative() }),
  // Ad-hoc runs (tests, operators) get their own id; the scheduler names its own jobs.
  jobId: () => `zalo-token-upkeep-${Date.now()}`,
});

// --- how each queue's workers recover ------------------------------------------------------

/**
 * Per queue: how long a worker's lock on a job lasts (renewed at half of it while the
 * job runs), how often a worker looks for jobs whose worker died (their lock expired),
 * how many such crashes a job may live through, and whether a job that fails for good
 * goes to the dead-letter queue (with an alert) instead of just the failed set.
 *
 * Interactive replies and answers recover within about 10 s of a crash (a lock of 8 s,
 * checked every 2 s); jobs whose lateness nobody feels keep BullMQ's 30 s. Failures that
 * only say a dependency is down (PostgreSQL or Redis unreachable, a restarting server)
 * never count as attempts: they are retried without limit, at most 30 s apart.
 */
export type QueuePolicy = { lockDurationMs: number; stalledIntervalMs: number; maxStalledCount: number; deadLetter: boolean };

const INTERACTIVE: QueuePolicy = { lockDurationMs: 8_000, stalledIntervalMs: 2_000, maxStalledCount: 5, deadLetter: false };
const BACKGROUND: QueuePolicy = { lockDurationMs: 30_000, stalledIntervalMs: 30_000, maxStalledCount: 3, deadLetter: false };

export const QUEUE_POLICIES: Record<QueueName, QueuePolicy> = {
  // Answers are idempotent and are the product's data: many crashes are harmless, and none is ever dropped.
  [QUEUE.answers]: { ...INTERACTIVE, maxStalledCount: 20, deadLetter: true },
  [QUEUE.outboundTelegram]: INTERACTIVE,
  [QUEUE.outboundZalo]: INTERACTIVE,
  [QUEUE.outboundSimulator]: INTERACTIVE,
  [QUEUE.reminders]: BACKGROUND,
  [QUEUE.invitations]: BACKGROUND,
  [QUEUE.maintenance]: BACKGROUND,
};

/** First wait after work failed only because a dependency was down; it doubles up to OUTAGE_RETRY_MAX_MS (30 s by default). */
export const OUTAGE_RETRY_FIRST_MS = 1_000;
