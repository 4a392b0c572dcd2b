import { telegramInvitationDelivery } from '../channels/telegram/deliver-telegram-invitation.js';
import { telegramRegistrations } from '../channels/telegram/telegram-registrations.js';
import { simulatorRegistrations } from '../channels/simulator/simulator-registrations.js';
import { zaloInvitationDelivery } from '../channels/zalo/deliver-zalo-invitation.js';
import { zaloRegistrations } from '../channels/zalo/zalo-registrations.js';
import type { AppContext } from '../core/app-context.js';
import { msUntilQuietEnds } from '../core/quiet-hours.js';
import { deliverInvitation, type InvitationDeliveries } from '../invitations/deliver-invitation.js';
import { expireInvitations } from '../invitations/expire-invitations.js';
import { ANSWERS_CONCURRENCY, deliverInvitationJob, expireInvitationsJob, persistAnswersJob, reminderJob, repairAnswersJob } from '../queues/job-catalog.js';
import { postponeJob } from '../queues/postpone-job.js';
import { register, type Registration } from '../queues/start-workers.js';
import type { Job } from 'bullmq';
import { persistBatch } from '../responses/persist-batch.js';
import { repairDeadAnswers } from '../responses/repair-dead-answers.js';
import type { Services } from './services.js';

/** Every background job handler of the product, in one place (the jobs themselves: queues/job-catalog.ts). */
export function workerRegistrations(ctx: AppContext, services: Services): Registration[] {
  const { conversations } = services;
  const enqueue = { queues: ctx.queues, redis: ctx.redis, prefix: ctx.config.redisPrefix };
  const deliveries: InvitationDeliveries = {
    telegram: telegramInvitationDelivery({ ...enqueue, config: ctx.config }),
    ...(services.zalo ? { zalo: zaloInvitationDelivery({ db: ctx.db, ...enqueue }) } : {}),
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
    register(repairAnswersJob, async () => {
      await repairDeadAnswers(ctx, conversations.catalog);
    }),
    register(expireInvitationsJob, async () => {
      const expired = await expireInvitations(ctx.db, ctx.now());
      if (expired) ctx.logger.info({ expired }, 'invitations expired');
    }),
  ];
}
