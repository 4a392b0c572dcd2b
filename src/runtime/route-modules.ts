import type { RouteModule } from '../api/build-app.js';
import { invitationsRoutes } from '../api/invitations-routes.js';
import { questionnairesRoutes } from '../api/questionnaires-routes.js';
import { reportsRoutes } from '../api/reports-routes.js';
import { unitsRoutes } from '../api/units-routes.js';
import { telegramWebhook } from '../../webhooks/telegram-webhook.js';
import { zaloWebhook } from '../../webhooks/zalo-webhook.js';
import type { AppContext } from '../core/app-context.js';
import type { Services } from './services.js';

/** Every HTTP route module of the product; channels without credentials are left out. */
export function routeModules(ctx: AppContext, services: Services): RouteModule[] {
  const modules: RouteModule[] = [
    { prefix: '/api/v1', plugin: unitsRoutes(ctx) },
    { prefix: '/api/v1', plugin: questionnairesRoutes(ctx) },
    { prefix: '/api/v1', plugin: invitationsRoutes(ctx) },
    { prefix: '/api/v1', plugin: reportsRoutes(ctx) },
  ];
  if (ctx.config.telegram) modules.push({ plugin: telegramWebhook(ctx, services.conversations, ctx.config.telegram.webhookSecret) });
  if (ctx.config.zalo) modules.push({ plugin: zaloWebhook(ctx, services.conversations, ctx.config.zalo) });
  return modules;
}
