import { telegramInvitationDelivery } from '../channels/telegram/deliver-telegram-invitation.js';
import { telegramRegistrations } from '../channels/telegram/telegram-registrations.js';
import { simulatorRegistrations } from '../channels/simulator/simulator-registrations.js';
import { zaloInvitationDelivery } from '../channels/zalo/deliver-zalo-invitation.js';
import { zaloRegistrations } from '../channels/zalo/zalo-registrations.js';
import type { AppContext } from '../core/app-context.js';
import { deliverInvitation, type InvitationDeliveries } from '../invitations/deliver-invitation.js';
import { expireInvitations } from '../invitations/expire-invitations.js';
import { ANSWERS_CONCURRENCY, deliverInvitationJob, expireInvitationsJob, persistAnswersJob, reminderJob, repairAnswersJob } from '../queues/job-catalog.js';
import { register, type Registration } from '../queues/start-workers.js';
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
  return [
    // A job is a batch of many events (group commit); a few in parallel keep both cores busy
    // without contending on the same rollup rows.
    register(persistAnswersJob, (p) => persistBatch(ctx, conversations.catalog, p.items, ctx.config.quality), { concurrency: ANSWERS_CONCURRENCY }),
    ...telegramRegistrations(ctx, services.telegram),
    ...zaloRegistrations(ctx, services.zalo),
    ...simulatorRegistrations(ctx),
    register(reminderJob, async (p) => {
      await conversations.handle({ channel: p.channel, userRef: p.userRef, eventId: `timer-${p.jobKey}`, input: { type: 'timer', responseId: p.responseId } });
    }),
    register(deliverInvitationJob, (p) => deliverInvitation({ db: ctx.db, now: ctx.now, deliveries }, p.invitationId), { concurrency: 4 }),
    register(repairAnswersJob, async () => {
      await repairDeadAnswers(ctx, conversations.catalog);
    }),
    register(expireInvitationsJob, async () => {
      const expired = await expireInvitations(ctx.db, ctx.now());
      if (expired) ctx.logger.info({ expired }, 'invitations expired');
    }),
  ];
}
