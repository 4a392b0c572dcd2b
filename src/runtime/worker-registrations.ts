import { UnrecoverableError } from 'bullmq';
import { deliverInvitation } from '../invitations/deliver-invitation.js';
import { deliverInvitationJob } from '../invitations/deliver-invitation-job.js';
import { deliverTelegram } from '../outbound/deliver-telegram.js';
import { deliverSimulator } from '../outbound/deliver-simulator.js';
import { outboundJobs } from '../outbound/outbound-job.js';
import { register, type Registration } from '../queues/start-workers.js';
import { reminderJob } from '../reminders/reminder-job.js';
import { persistEffectsJob } from '../responses/answers-job.js';
import { persistEffects } from '../responses/persist-effects.js';
import type { AppContext } from './app-context.js';
import type { Services } from './services.js';

/** Every background job handler of the product. */
export function workerRegistrations(ctx: AppContext, services: Services): Registration[] {
  const { conversations, telegram } = services;
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
    register(outboundJobs.simulator, (p) => deliverSimulator(ctx, p)),
    register(reminderJob, async (p) => {
      await conversations.handle({ channel: p.channel, userRef: p.userRef, eventId: `timer-${p.jobKey}`, input: { type: 'timer', responseId: p.responseId } });
    }),
    register(deliverInvitationJob, (p) => deliverInvitation(ctx, p.invitationId), { concurrency: 4 }),
  ];
}
