import { DelayedError, RATE_LIMIT_ERROR, UnrecoverableError, type Job } from 'bullmq';
import type { ChatLanes, Gate } from './chat-lanes.js';
import type { OutboundJob } from '../queues/job-catalog.js';
import { hasPriority, type PromoteHead } from './promote-head.js';

/** A job postponed by its lane (not its turn yet, the chat's spacing): no attempt is spent. */
export class LaneDelayedError extends DelayedError {
  readonly lane = true;
  constructor(reason: string) {
    super(`outbound lane: ${reason}`);
    // BullMQ recognises postponed jobs by this name.
    this.name = 'DelayedError';
  }
}

/**
 * Moves the job to "delayed" until the lane's time; the caller throws the returned error.
 * A reply (no priority) whose chat is held by a prioritized head job first promotes it.
 */
export async function postpone(job: Job, token: string | undefined, gate: Extract<Gate, { kind: 'defer' }>, promote?: PromoteHead): Promise<LaneDelayedError> {
  // Best effort: without it the head still goes in its turn, only later.
  if (gate.heldHead && promote && !hasPriority(job)) await promote(gate.heldHead).catch(() => undefined);
  await job.moveToDelayed(gate.until, token ?? job.token);
  return new LaneDelayedError(gate.reason);
}

const isPostponed = (err: unknown) => err instanceof Error && (err.name === 'DelayedError' || err.message === RATE_LIMIT_ERROR);

/** BullMQ gives up after this attempt: an unrecoverable error, or the last of the job's attempts. */
const isFinal = (err: unknown, job: Job) => err instanceof UnrecoverableError || (err instanceof Error && err.name === 'UnrecoverableError') || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** When BullMQ will retry after this failure (its exponential or fixed backoff), roughly. */
function retryDelayMs(job: Job): number {
  const b = job.opts.backoff;
  if (b === undefined) return 0;
  if (typeof b === 'number') return b;
  const delay = b.delay ?? 0;
  return b.type === 'exponential' ? delay * 2 ** job.attemptsMade : delay;
}

/**
 * Runs one numbered outbound job in its chat's lane. `gate`: check the job's turn first
 * (a channel whose delivery does not claim each message itself). When the job is done
 * — sent, dropped, or failed for good — the chat's next job may go, so a failing job
 * never stalls its chat; while it waits for a retry, the jobs behind it wait too (order
 * is kept) without polling before it is due.
 */
export async function inChatTurn(lanes: ChatLanes, payload: OutboundJob, job: Job, deliver: () => Promise<void>, opts: { gate?: boolean; promote?: PromoteHead } = {}): Promise<void> {
  const seq = payload.seq;
  if (!seq) return deliver();
  if (opts.gate) {
    const gate = await lanes.claim({ userRef: payload.userRef, jobId: job.id!, seq, chatSpacing: false, pace: false });
    if (gate.kind === 'duplicate') return;
    if (gate.kind === 'defer') throw await postpone(job, undefined, gate, opts.promote);
  }
  try {
    await deliver();
  } catch (err) {
    // Lane bookkeeping must not hide the job's own error; a lost release is caught up by the
    // claim script, which skips a head that is failed or finished.
    const keep = () => undefined;
    if (isPostponed(err)) {
      if (!(err instanceof LaneDelayedError) && job.delay > 0) await lanes.hold(payload.userRef, seq, Date.now() + job.delay).catch(keep);
    } else if (isFinal(err, job)) {
      await lanes.release(payload.userRef, seq).catch(keep);
    } else {
      await lanes.hold(payload.userRef, seq, Date.now() + retryDelayMs(job)).catch(keep);
    }
    throw err;
  }
  await lanes.release(payload.userRef, seq);
}
