import { UnrecoverableError } from 'bullmq';
import type { AppContext } from '../../core/app-context.js';
import { inChatTurn } from '../../outbound/in-chat-turn.js';
import { laneFor } from '../../outbound/outbound-lanes.js';
import { promoteHeadIn } from '../../outbound/promote-head.js';
import { outboundJobs } from '../../queues/job-catalog.js';
import { QUEUE } from '../../queues/queue-names.js';
import { register, type Registration } from '../../queues/start-workers.js';
import { deliverTelegram } from './deliver-telegram.js';
import { TELEGRAM_LANES, TELEGRAM_MESSAGES_PER_SECOND, TELEGRAM_SEND_CONCURRENCY } from './telegram-lanes.js';
import type { TelegramSender } from './telegram-sender.js';

/** The Telegram outbound worker; without credentials its jobs fail at once, without retries. */
export function telegramRegistrations(ctx: AppContext, telegram: TelegramSender | undefined): Registration[] {
  const lanes = laneFor(ctx.redis, ctx.config.redisPrefix, 'telegram', { ...TELEGRAM_LANES, chatIntervalMs: ctx.config.telegramChatIntervalMs });
  const queue = ctx.queues.queue(QUEUE.outboundTelegram);
  const promote = promoteHeadIn(queue);
  return [
    register(
      outboundJobs.telegram,
      async (p, job, token) => {
        if (!telegram) throw new UnrecoverableError('the Telegram channel is not configured');
        const deps = { sender: telegram, db: ctx.db, metrics: ctx.metrics, lanes, pauseQueue: (ms: number) => queue.rateLimit(ms), promote };
        await inChatTurn(lanes, p, job, () => deliverTelegram(deps, p, job, token));
      },
      // Sends are paced by the lanes (per message, 25/s bot-wide, 1/s per chat), not by
      // BullMQ's fixed-window limiter, which counts job starts (postponed ones too) and lets
      // bursts through across window edges. The limiter here only bounds how fast jobs are
      // taken (postponed jobs included) and enables the queue-wide pause after a 429.
      { concurrency: TELEGRAM_SEND_CONCURRENCY, limiter: { max: TELEGRAM_MESSAGES_PER_SECOND * 4, duration: 1000 } },
    ),
  ];
}
