import { TelegramSender } from '../channels/telegram/telegram-sender.js';
import { ConversationService } from '../conversation-service/conversation-service.js';
import type { AppContext } from './app-context.js';

/** Long-lived services shared by routes and workers of one process. */
export type Services = { conversations: ConversationService; telegram: TelegramSender | undefined };

export async function createServices(ctx: AppContext): Promise<Services> {
  const conversations = new ConversationService(ctx);
  await conversations.init();
  const tg = ctx.config.telegram;
  return { conversations, telegram: tg ? new TelegramSender(tg.token, tg.apiRoot, ctx.redis, ctx.config.redisPrefix) : undefined };
}
