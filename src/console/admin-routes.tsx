import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../core/app-context.js';
import { registerAdminApiKeysRoutes } from './admin-api-keys-routes.js';
import { registerAdminAuditRoutes } from './admin-audit-routes.js';
import { registerAdminQueuesRoutes } from './admin-queues-routes.js';
import { registerAdminUnitGroupsRoutes } from './admin-unit-groups-routes.js';
import { registerAdminUnitsRoutes } from './admin-units-routes.js';
import type { ConsoleGate } from './console-gate.js';

/** The administration pages besides users: units, unit groups, API keys, the audit log and the queues (admins only). */
/** `onUnitsChanged`: lets this process's open-survey unit list see a unit change at once, as the API's unit routes do. */
export function registerAdminRoutes(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate, onUnitsChanged?: () => Promise<void>): void {
  registerAdminUnitsRoutes(app, ctx, gate, onUnitsChanged);
  registerAdminUnitGroupsRoutes(app, ctx, gate);
  registerAdminApiKeysRoutes(app, ctx, gate);
  registerAdminAuditRoutes(app, ctx, gate);
  registerAdminQueuesRoutes(app, ctx, gate);
}
