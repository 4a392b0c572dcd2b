import { UnrecoverableError } from 'bullmq';
import { runZaloTokenUpkeep, zaloTokenUpkeepJob } from '../channels/zalo/zalo-token-upkeep.js';
import { deliverInvitation } from '../invitations/deliver-invitation.js';
import { deliverInvitationJob } from '../invitations/deliver-invitation-job.js';
import { expireInvitations, expireInvitationsJob } from '../invitations/expire-invitations.js';
import { zaloInvitationDelivery } from '../channels/zalo/deliver-zalo-invitation.js';
import { deliverZnsInvitation } from '../channels/zalo/deliver-zns-invitation.js';
import { invitationMissedByCs, markInvitationSent } from '../invitations/invitation-outcome.js';
import { znsInvitationJob } from '../invitations/zns-invitation-job.js';
import { deliverTelegram } from '../channels/telegram/deliver-telegram.js';
import { deliverSimulator } from '../channels/simulator/deliver-simulator.js';
import { deliverZalo } from '../channels/zalo/deliver-zalo.js';
import { inChatTurn } from '../outbound/in-chat-turn.js';
import { outboundJobs } from '../outbound/outbound-job.js';
import { promoteHeadIn } from '../outbound/promote-head.js';
import { outboundLanes, TELEGRAM_MESSAGES_PER_SECOND, TELEGRAM_SEND_CONCURRENCY, type OutboundLanes } from '../outbound/outbound-lanes.js';
import { QUEUE } from '../queues/queue-names.js';
import { register, type Registration } from '../queues/start-workers.js';
import { reminderJob } from '../reminders/reminder-job.js';
import { persistAnswersJob } from '../queues/job-catalog.js';
import { persistBatch } from '../responses/persist-batch.js';
import type { AppContext } from '../core/app-context.js';
import type { Services } from './services.js';

/** Every Zalo job handler; without Zalo credentials its jobs fail at once, without retries. */
function zaloRegistrations(ctx: AppContext, services: Services, lanes: OutboundLanes): Registration[] {
  const zalo = services.zalo;
  const need = () => {
    if (!zalo) throw new UnrecoverableError('the Zalo channel is not configured');
    return zalo;
  };
  const { db, queues, metrics } = ctx;
  // The limiter counts jobs: one carries one or two CS calls, so 30/s stays under the OA's 4,000 calls/min.
  const limits = { concurrency: 32, limiter: { max: 30, duration: 1000 } };
  const promoteZalo = promoteHeadIn(queues.queue(QUEUE.outboundZalo));
  return [
    register(
      outboundJobs.zalo,
      // Each chat's jobs go in enqueue order (Zalo has no per-chat rate: order only).
      (p, job) =>
        inChatTurn(
          lanes.zalo,
          p,
          job,
          () =>
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
          { gate: true, promote: promoteZalo },
        ),
      limits,
    ),
    register(znsInvitationJob, (p, job) => deliverZnsInvitation({ db, zns: need().zns, config: need().config, metrics, now: ctx.now }, p.invitationId, job), limits),
    register(zaloTokenUpkeepJob, (p) => runZaloTokenUpkeep(need().tokens, ctx.logger, p.marginMs)),
  ];
}

/** Answers jobs one worker process persists at once (the persistence benchmark replays rollups with the same). */
export const ANSWERS_CONCURRENCY = 4;

/** Every background job handler of the product. */
export function workerRegistrations(ctx: AppContext, services: Services): Registration[] {
  const { conversations, telegram } = services;
  const zaloInvitations = services.zalo ? zaloInvitationDelivery({ db: ctx.db, queues: ctx.queues, redis: ctx.redis, prefix: ctx.config.redisPrefix }) : undefined;
  const lanes = outboundLanes(ctx.redis, ctx.config.redisPrefix, { telegram: { chatIntervalMs: ctx.config.telegramChatIntervalMs } });
  const telegramQueue = ctx.queues.queue(QUEUE.outboundTelegram);
  const promoteTelegram = promoteHeadIn(telegramQueue);
  return [
    // A job is a batch of many events (group commit); a few in parallel keep both cores busy
    // without contending on the same rollup rows.
    register(persistAnswersJob, (p) => persistBatch(ctx, conversations.catalog, p.items), { concurrency: ANSWERS_CONCURRENCY }),
    register(
      outboundJobs.telegram,
      async (p, job, token) => {
        if (!telegram) throw new UnrecoverableError('the Telegram channel is not configured');
        const deps = { sender: telegram, db: ctx.db, metrics: ctx.metrics, lanes: lanes.telegram, pauseQueue: (ms: number) => telegramQueue.rateLimit(ms), promote: promoteTelegram };
        await inChatTurn(lanes.telegram, p, job, () => deliverTelegram(deps, p, job, token));
      },
      // Sends are paced by the lanes (per message, 25/s bot-wide, 1/s per chat), not by
      // BullMQ's fixed-window limiter, which counts job starts (postponed ones too) and lets
      // bursts through across window edges. The limiter here only bounds how fast jobs are
      // taken (postponed jobs included) and enables the queue-wide pause after a 429.
      { concurrency: TELEGRAM_SEND_CONCURRENCY, limiter: { max: TELEGRAM_MESSAGES_PER_SECOND * 4, duration: 1000 } },
    ),
    ...zaloRegistrations(ctx, services, lanes),
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
