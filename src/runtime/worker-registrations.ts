import { telegramInvitationDelivery } from '../channels/telegram/deliver-telegram-invitation.js';
import { telegramRegistrations } from '../channels/telegram/telegram-registrations.js';
import { simulatorRegistrations } from '../channels/simulator/simulator-registrations.js';
import { simulatorInvitationDelivery } from '../channels/simulator/deliver-simulator-invitation.js';
import { zaloInvitationDelivery } from '../channels/zalo/deliver-zalo-invitation.js';
import { zaloRegistrations } from '../channels/zalo/zalo-registrations.js';
import type { AppContext } from '../core/app-context.js';
import { reminderFired } from '../conversations/reminder-timers.js';
import { msUntilQuietEnds } from '../core/quiet-hours.js';
import { deliverInvitation, type InvitationDeliveries } from '../invitations/deliver-invitation.js';
import { expireInvitations } from '../invitations/expire-invitations.js';
import { failInvitationBatch, processInvitationBatch } from '../invitations/process-invitation-batch.js';
import { deliverUnopenedReminder, sweepUnopenedReminders } from '../invitations/unopened-reminders.js';
import { ANSWERS_CONCURRENCY, deliverInvitationJob, expireInvitationsJob, invitationBatchJob, persistAnswersJob, reminderJob, repairAnswersJob, roundSamplingJob, unopenedReminderJob, unopenedRemindersSweepJob } from '../queues/job-catalog.js';
import { postponeJob } from '../queues/postpone-job.js';
import { register, type Registration } from '../queues/start-workers.js';
import type { Job } from 'bullmq';
import { persistBatch } from '../responses/persist-batch.js';
import { repairDeadAnswers } from '../responses/repair-dead-answers.js';
import { runSamplingUpkeep } from '../sampling/sampling-upkeep.js';
import { isTransientFailure } from '../core/transient-failure.js';
import type { Services } from './services.js';

/** Every background job handler of the product, in one place (the jobs themselves: queues/job-catalog.ts). */
export function workerRegistrations(ctx: AppContext, services: Services): Registration[] {
  const { conversations } = services;
  const enqueue = { queues: ctx.queues, redis: ctx.redis, prefix: ctx.config.redisPrefix };
  const deliveries: InvitationDeliveries = {
    telegram: telegramInvitationDelivery({ ...enqueue, config: ctx.config }),
    ...(services.zalo ? { zalo: zaloInvitationDelivery({ db: ctx.db, ...enqueue }) } : {}),
    simulator: simulatorInvitationDelivery({ db: ctx.db, now: ctx.now }),
  };
  /** What we send on our own initiative waits for the end of quiet hours (replies never do). */
  const afterQuietHours = async (job: Job, token: string | undefined) => {
    const wait = msUntilQuietEnds(ctx.now().getTime(), ctx.config.quietHours);
    if (wait > 0) await postponeJob(job, token, wait);
  };
  return [
    // A job is a batch of many events (group commit); a few in parallel keep both cores busy
    // without contending on the same rollup rows.
    register(persistAnswersJob, (p) => persistBatch(ctx, conversations.catalog, p.items, ctx.config.quality), { concurrency: ANSWERS_CONCURRENCY }),
    ...telegramRegistrations(ctx, services.telegram),
    ...zaloRegistrations(ctx, services.zalo),
    ...simulatorRegistrations(ctx),
    register(reminderJob, async (p, job, token) => {
      await afterQuietHours(job, token);
      await reminderFired(ctx.redis, ctx.config.redisPrefix, p.responseId, reminderJob.jobId(p));
      await conversations.handle({ channel: p.channel, userRef: p.userRef, eventId: `timer-${reminderJob.jobId(p)}`, input: { type: 'timer', responseId: p.responseId } });
    }),
    register(
      deliverInvitationJob,
      async (p, job, token) => {
        await afterQuietHours(job, token);
        await deliverInvitation({ db: ctx.db, now: ctx.now, deliveries }, p.invitationId);
      },
      { concurrency: 4 },
    ),
    // Creation only: each invitation's delivery is its own job above (which waits out quiet hours).
    register(invitationBatchJob, async (p, job) => {
      try {
        await processInvitationBatch(ctx, p.batchId);
      } catch (err) {
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (lastAttempt && !isTransientFailure(err)) await failInvitationBatch(ctx.db, p.batchId, ctx.now());
        throw err;
      }
    }),
    // The sweep only claims and enqueues; the send itself waits for the end of quiet hours.
    register(unopenedRemindersSweepJob, async () => {
      const claimed = await sweepUnopenedReminders({ db: ctx.db, queues: ctx.queues, now: ctx.now, settings: ctx.config.unopenedReminder });
      if (claimed) ctx.logger.info({ claimed }, 'reminders to unopened invitations enqueued');
    }),
    register(unopenedReminderJob, async (p, job, token) => {
      await afterQuietHours(job, token);
      await deliverUnopenedReminder({ db: ctx.db, now: ctx.now, deliveries, settings: ctx.config.unopenedReminder }, p.invitationId);
    }),
    register(roundSamplingJob, async () => {
      const done = await runSamplingUpkeep({ ...ctx, logger: ctx.logger }, { maxMs: 20_000 });
      if (done.closed || done.replaced || done.invited || done.refused) ctx.logger.info(done, 'round sampling');
    }),
    register(repairAnswersJob, async () => {
      await repairDeadAnswers(ctx, conversations.catalog);
    }),
    register(expireInvitationsJob, async () => {
      const expired = await expireInvitations(ctx.db, ctx.now());
      if (expired) ctx.logger.info({ expired }, 'invitations expired');
    }),
  ];
}
