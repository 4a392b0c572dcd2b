import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { followsUnit } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { roundProgress } from '../rounds/round-progress.js';
import { createRoundSchema, patchRoundSchema, roundCodeSchema } from '../rounds/round-schema.js';
import { findRound, listRounds } from '../rounds/round-store.js';
import { roundView } from '../rounds/round-view.js';
import type { RoundEvents } from '../sampling/round-events.js';
import { frameOptionsSchema } from '../sampling/frame-row-schema.js';
import { requireRole } from './require-auth.js';
import { createRoundAudited, FRAME_BODY_LIMIT, patchRoundAudited, uploadFrameAudited } from './round-actions.js';

const codeParams = z.object({ code: roundCodeSchema });

/** Survey rounds (đợt khảo sát): administrators plan them; everyone with a key follows their progress. */
export function roundsRoutes(ctx: AppContext, events: RoundEvents): FastifyPluginAsync {
  return async (app) => {
    const admin = requireRole(ctx, 'admin');
    const anyone = requireRole(ctx, 'admin', 'officer', 'viewer');
    const officer = requireRole(ctx, 'admin', 'officer');

    app.post('/rounds', { onRequest: admin }, async (req, reply) => {
      const round = await createRoundAudited(ctx, events, req.principal!, createRoundSchema.parse(req.body));
      return reply.status(201).send(roundView(round, req.principal!));
    });

    app.get('/rounds', { onRequest: anyone }, async (req) => ({ rounds: (await listRounds(ctx.db)).map((r) => roundView(r, req.principal!)) }));

    app.get('/rounds/:code', { onRequest: anyone }, async (req) => roundView(await findRound(ctx.db, codeParams.parse(req.params).code), req.principal!));

    app.patch('/rounds/:code', { onRequest: admin }, async (req) => {
      const { code } = codeParams.parse(req.params);
      return roundView(await patchRoundAudited(ctx, events, req.principal!, code, patchRoundSchema.parse(req.body)), req.principal!);
    });

    app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: FRAME_BODY_LIMIT }, (_req, body, done) => done(null, body));

    // The sampling frame: officers upload their own units' completed dossiers, administrators any.
    app.post('/rounds/:code/frame', { onRequest: officer, bodyLimit: FRAME_BODY_LIMIT }, async (req) => {
      const { code } = codeParams.parse(req.params);
      const options = frameOptionsSchema.parse(req.query);
      return uploadFrameAudited(ctx, events, req.principal!, code, { body: req.body, isCsv: /csv/.test(req.headers['content-type'] ?? '') }, options);
    });

    app.get('/rounds/:code/progress', { onRequest: anyone }, async (req) => {
      const round = await findRound(ctx.db, codeParams.parse(req.params).code);
      const scoped = { ...round, quotas: round.quotas.filter((q) => followsUnit(req.principal!, q.unit.code)) };
      return roundProgress(ctx.db, scoped, ctx.now());
    });
  };
}
