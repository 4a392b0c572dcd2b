import { UnrecoverableError } from 'bullmq';
import { runZaloTokenUpkeep, zaloTokenUpkeepJob } from '../channels/zalo/zalo-token-upkeep.js';
import { deliverInvitation } from '../invitations/deliver-invitation.js';
import { deliverInvitationJob } from '../invitations/deliver-invitation-job.js';
import { expireInvitations, expireInvitationsJob } from '../invitations/expire-invitations.js';
import { zaloInvitationDelivery } from '../invitations/deliver-zalo-invitation.js';
import { deliverZnsInvitation } from '../invitations/deliver-zns-invitation.js';
import { invitationMissedByCs, markInvitationSent } from '../invitations/zalo-invitation-outcome.js';
import { znsInvitationJob } from '../invitations/zns-invitation-job.js';
import { deliverTelegram } from '../outbound/deliver-telegram.js';
import { deliverSimulator } from '../outbound/deliver-simulator.js';
import { deliverZalo } from '../outbound/deliver-zalo.js';
import { outboundJobs } from '../outbound/outbound-job.js';
import { register, type Registration } from '../queues/start-workers.js';
import { reminderJob } from '../reminders/reminder-job.js';
import { persistEffectsJob } from '../responses/answers-job.js';
import { persistEffects } from '../responses/persist-effects.js';
import type { AppContext } from './app-context.js';
import type { Services } from './services.js';

/** Every Zalo job handler; without Zalo credentials its jobs fail at once, without retries. */
function zaloRegistrations(ctx: AppContext, services: Services): Registration[] {
  const zalo = services.zalo;
  const need = () => {
    if (!zalo) throw new UnrecoverableError('the Zalo channel is not configured');
    return zalo;
  };
  const { db, queues, metrics } = ctx;
  // The limiter counts jobs: one carries one or two CS calls, so 30/s stays under the OA's 4,000 calls/min.
  const limits = { concurrency: 32, limiter: { max: 30, duration: 1000 } };
  return [
    register(
      outboundJobs.zalo,
      (p, job) =>
        deliverZalo(
          {
            db,
            oa: need().oa,
            metrics,
            buttons: need().config.buttons,
            now: ctx.now,
            invitationMissed: (id, why) => invitationMissedByCs({ db, queues }, id, why),
            invitationSent: (id) => markInvitationSent(db, id, ctx.now()),
          },
          p,
          job,
        ),
      limits,
    ),
    register(znsInvitationJob, (p, job) => deliverZnsInvitation({ db, zns: need().zns, config: need().config, metrics, now: ctx.now }, p.invitationId, job), limits),
    register(zaloTokenUpkeepJob, (p) => runZaloTokenUpkeep(need().tokens, ctx.logger, p.marginMs)),
  ];
}

/** Every background job handler of the product. */
export function workerRegistrations(ctx: AppContext, services: Services): Registration[] {
  const { conversations, telegram } = services;
  const zaloInvitations = services.zalo ? zaloInvitationDelivery({ db: ctx.db, queues: ctx.queues }) : undefined;
  return [
    register(persistEffectsJob, (p) => persistEffects(ctx.db, conversations.catalog, p), { concurrency: 16 }),
    register(
      outboundJobs.telegram,
      async (p, job, token) => {
        if (!telegram) throw new UnrecoverableError('the Telegram channel is not configured');
        await deliverTelegram({ sender: telegram, db: ctx.db, metrics: ctx.metrics }, p, job, token);
      },
      // Telegram allows about 30 messages/s per bot; a job carries one or two calls.
      { concurrency: 16, limiter: { max: 25, duration: 1000 } },
    ),
    ...zaloRegistrations(ctx, services),
    register(outboundJobs.simulator, (p) => deliverSimulator(ctx, p)),
    register(reminderJob, async (p) => {
      await conversations.handle({ channel: p.channel, userRef: p.userRef, eventId: `timer-${p.jobKey}`, input: { type: 'timer', responseId: p.responseId } });
    }),
    register(deliverInvitationJob, (p) => deliverInvitation(ctx, p.invitationId, zaloInvitations), { concurrency: 4 }),
    register(expireInvitationsJob, async () => {
      const expired = await expireInvitations(ctx.db, ctx.now());
      if (expired) ctx.logger.info({ expired }, 'invitations expired');
    }),
  ];
}
