import type { RouteModule } from '../api/build-app.js';
import { invitationsRoutes } from '../api/invitations-routes.js';
import { questionnairesRoutes } from '../api/questionnaires-routes.js';
import { reportsRoutes } from '../api/reports-routes.js';
import { trendRoutes } from '../api/trend-routes.js';
import { roundsRoutes } from '../api/rounds-routes.js';
import { forgetFrame } from '../sampling/frame-store.js';
import type { RoundEvents } from '../sampling/round-events.js';
import { sandboxRoutes } from '../api/sandbox-routes.js';
import { unitsRoutes } from '../api/units-routes.js';
import { proceduresRoutes } from '../api/procedures-routes.js';
import { unitGroupsRoutes } from '../api/unit-groups-routes.js';
import { consolePlugin } from '../console/console-plugin.js';
import { telegramWebhook } from '../../webhooks/telegram-webhook.js';
import { zaloWebhook } from '../../webhooks/zalo-webhook.js';
import type { AppContext } from '../core/app-context.js';
import type { Services } from './services.js';

/** Every HTTP route module of the product; channels without credentials are left out. */
export function routeModules(ctx: AppContext, services: Services): RouteModule[] {
  // Rounds change through the API and the console alike.
  const roundEvents: RoundEvents = {
    changed: () => services.conversations.rounds.invalidate(),
    closed: async (roundId) => void (await forgetFrame(ctx.db, roundId)),
  };
  const modules: RouteModule[] = [
    { prefix: '/api/v1', plugin: unitsRoutes(ctx, { onUnitsChanged: () => services.conversations.units.refresh() }) },
    { prefix: '/api/v1', plugin: proceduresRoutes(ctx) },
    { prefix: '/api/v1', plugin: unitGroupsRoutes(ctx) },
    { prefix: '/api/v1', plugin: questionnairesRoutes(ctx) },
    { prefix: '/api/v1', plugin: invitationsRoutes(ctx) },
    { prefix: '/api/v1', plugin: reportsRoutes(ctx) },
    { prefix: '/api/v1', plugin: trendRoutes(ctx) },
    { prefix: '/api/v1', plugin: sandboxRoutes(ctx) },
    { prefix: '/api/v1', plugin: roundsRoutes(ctx, roundEvents) },
  ];
  // The web console (HTML pages at /, /login, /admin/…; assets under /assets/).
  modules.push({ plugin: consolePlugin(ctx, { roundEvents, onUnitsChanged: () => services.conversations.units.refresh() }) });
  if (ctx.config.telegram) modules.push({ plugin: telegramWebhook(ctx, services.conversations, ctx.config.telegram.webhookSecret) });
  if (ctx.config.zalo) modules.push({ plugin: zaloWebhook(ctx, services.conversations, ctx.config.zalo) });
  return modules;
}
