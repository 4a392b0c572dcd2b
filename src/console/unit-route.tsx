import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import type { ConsoleGate } from './console-gate.js';
import { sendHtml } from './send-html.js';
import { unitCharts } from './unit-charts.js';
import { loadUnitPage } from './unit-data.js';
import { UnitPage } from './unit-page.js';

const params = z.object({ code: z.string().min(1).max(64) });
/** The period form's fields as typed (the report query schema checks them); a repeated or missing field counts as empty. */
const selection = z.object({ round: z.string().trim().catch(''), period: z.string().trim().catch(''), questionnaire: z.string().trim().catch('') });

/** `/units/:code`: one unit's index tree, procedures, option shares and trend (administrators and viewers; officers never see results). */
export function registerUnitRoute(app: FastifyInstance, ctx: AppContext, gate: ConsoleGate): void {
  app.get('/units/:code', async (req, reply) => {
    const who = await gate(req, reply, ['admin', 'viewer']);
    if (!who) return reply;
    const parsed = params.safeParse(req.params);
    // A code no unit could have is an unknown unit (the 404 page), not a failure.
    if (!parsed.success) throw AppError.notFound('no such unit');
    const { code } = parsed.data;
    const data = await loadUnitPage(ctx, who.user, code, selection.parse(req.query ?? {}));
    return sendHtml(reply, data.error ? 400 : 200, <UnitPage frame={who.frame} data={data} charts={await unitCharts(data)} />);
  });
}
