import { Job, type Queue } from 'bullmq';

/** Moves a chat's head job to the front of the queue; a reply behind it needs it sent first. */
export type PromoteHead = (jobId: string) => Promise<void>;

/** A job's priority as BullMQ read it back from Redis can be a string ("0"): compare as a number. */
export const hasPriority = (job: Job) => Number(job.priority ?? 0) > 0;

/**
 * A reply waits for its turn behind a job of ours (an invitation or reminder) that is
 * still queued with a priority, behind a broadcast's backlog: that job goes next, at the
 * front of the waiting jobs, so the conversation is held up by one send, not the backlog.
 */
export function promoteHeadIn(queue: Queue): PromoteHead {
  return async (jobId) => {
    const job = await Job.fromId(queue, jobId);
    if (!job || !hasPriority(job)) return;
    await job.changePriority({ priority: 0, lifo: true });
  };
}
