import { TelegramSender } from '../channels/telegram/telegram-sender.js';
import { createZaloServices, type ZaloServices } from '../channels/zalo/zalo-services.js';
import { scheduleZaloTokenUpkeep, zaloTokenReadiness } from '../channels/zalo/zalo-token-upkeep.js';
import { ConversationService } from '../conversations/conversation-service.js';
import { scheduleInvitationExpiry } from '../invitations/expire-invitations.js';
import { scheduleUnopenedReminders } from '../invitations/unopened-reminders.js';
import type { AppContext } from '../core/app-context.js';
import { scheduleAnswersRepair } from '../responses/repair-dead-answers.js';
import { scheduleRoundSampling } from '../sampling/schedule-sampling.js';

/** Long-lived services shared by routes and workers of one process. */
export type Services = { conversations: ConversationService; telegram: TelegramSender | undefined; zalo: ZaloServices | undefined };

export async function createServices(ctx: AppContext): Promise<Services> {
  const conversations = new ConversationService(ctx);
  await conversations.init();
  await scheduleInvitationExpiry(ctx.queues);
  await scheduleUnopenedReminders(ctx.queues, ctx.config.unopenedReminder);
  await scheduleAnswersRepair(ctx.queues);
  await scheduleRoundSampling(ctx.queues);
  const tg = ctx.config.telegram;
  let zalo: ZaloServices | undefined;
  if (ctx.config.zalo) {
    zalo = createZaloServices(ctx, ctx.config.zalo);
    ctx.readiness.push(zaloTokenReadiness(zalo.tokens));
    await scheduleZaloTokenUpkeep(ctx.queues);
  }
  return { conversations, telegram: tg ? new TelegramSender(tg.token, tg.apiRoot, ctx.redis, ctx.config.redisPrefix) : undefined, zalo };
}
