import type { AppContext } from '../core/app-context.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import { retryDeadLetters, type RetryOutcome } from '../queues/dead-letters.js';
import { answersJobSchema, repairAnswersJob } from '../queues/job-catalog.js';
import type { JobQueues } from '../queues/job-queues.js';
import { QUEUE } from '../queues/queue-names.js';
import { persistBatch } from './persist-batch.js';

export const REPAIR_ANSWERS_EVERY_MS = 10 * 60_000;

/**
 * No thanked citizen left behind: an answers batch that failed for good (its error was
 * logged and counted when it was dead-lettered) is persisted again by this sweep until it
 * succeeds — once the cause is fixed, its responses complete without anyone's action.
 */
export async function repairDeadAnswers(ctx: AppContext, catalog: QuestionnaireCatalog): Promise<RetryOutcome> {
  const outcome = await retryDeadLetters(ctx.queues, QUEUE.answers, async (data) => {
    const job = answersJobSchema.parse(data);
    await persistBatch(ctx, catalog, job.items, ctx.config.quality);
  });
  if (outcome.repaired > 0) ctx.metrics.answersRepaired.inc(outcome.repaired);
  if (outcome.repaired > 0 || outcome.remaining > 0) {
    const level = outcome.remaining > 0 ? 'error' : 'info';
    ctx.logger[level]({ repaired: outcome.repaired, remaining: outcome.remaining, err: outcome.lastError }, outcome.remaining > 0 ? 'answers batches still not stored (citizens were thanked): fix the cause; the sweep retries' : 'dead-lettered answers batches stored');
  }
  return outcome;
}

/** One schedule for the whole deployment (a shared scheduler id, whatever the number of processes). */
export async function scheduleAnswersRepair(queues: JobQueues): Promise<void> {
  await queues.queue(QUEUE.maintenance).upsertJobScheduler(
    'repair-answers',
    { every: REPAIR_ANSWERS_EVERY_MS },
    { name: repairAnswersJob.name, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: 100 } },
  );
}
