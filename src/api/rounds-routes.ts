import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { followsUnit } from '../auth/principal.js';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { QuestionnaireNotFoundError } from '../questionnaire/questionnaire-catalog.js';
import { roundProgress } from '../rounds/round-progress.js';
import { createRoundSchema, patchRoundSchema, roundCodeSchema } from '../rounds/round-schema.js';
import { createRound, findRound, listRounds, patchRound } from '../rounds/round-store.js';
import { roundView } from '../rounds/round-view.js';
import type { RoundEvents } from '../sampling/round-events.js';
import { frameOptionsSchema } from '../sampling/frame-row-schema.js';
import { runSamplingSoon } from '../sampling/schedule-sampling.js';
import { uploadFrame } from '../sampling/upload-frame.js';
import { requireRole } from './require-auth.js';

const codeParams = z.object({ code: roundCodeSchema });
/** A frame of 100,000 completed dossiers fits (one-stop-shop exports run to a few hundred bytes a row). */
const FRAME_BODY_LIMIT = 20 * 1024 * 1024;

/** Survey rounds (đợt khảo sát): administrators plan them; everyone with a key follows their progress. */
export function roundsRoutes(ctx: AppContext, events: RoundEvents): FastifyPluginAsync {
  return async (app) => {
    const admin = requireRole(ctx, 'admin');
    const anyone = requireRole(ctx, 'admin', 'officer', 'viewer');
    const officer = requireRole(ctx, 'admin', 'officer');

    app.post('/rounds', { onRequest: admin }, async (req, reply) => {
      const body = createRoundSchema.parse(req.body);
      let questionnaire;
      try {
        questionnaire = await ctx.catalog.resolve(body.questionnaire, 'start');
      } catch (err) {
        if (err instanceof QuestionnaireNotFoundError) throw new AppError('unprocessable', err.code, err.message);
        throw err;
      }
      const round = await createRound(ctx.db, body, questionnaire.id);
      await writeAudit(ctx.db, req.principal!, 'round.create', { round: round.code, units: round.quotas.length });
      events.changed();
      return reply.status(201).send(roundView(round, req.principal!));
    });

    app.get('/rounds', { onRequest: anyone }, async (req) => ({ rounds: (await listRounds(ctx.db)).map((r) => roundView(r, req.principal!)) }));

    app.get('/rounds/:code', { onRequest: anyone }, async (req) => roundView(await findRound(ctx.db, codeParams.parse(req.params).code), req.principal!));

    app.patch('/rounds/:code', { onRequest: admin }, async (req) => {
      const { code } = codeParams.parse(req.params);
      const patch = patchRoundSchema.parse(req.body);
      const { round, closedNow } = await patchRound(ctx.db, code, patch, ctx.now());
      await writeAudit(ctx.db, req.principal!, 'round.update', { round: code, fields: Object.keys(patch) });
      events.changed();
      if (closedNow) await events.closed(round.id);
      return roundView(round, req.principal!);
    });

    app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'string', bodyLimit: FRAME_BODY_LIMIT }, (_req, body, done) => done(null, body));

    // The sampling frame: officers upload their own units' completed dossiers, administrators any.
    app.post('/rounds/:code/frame', { onRequest: officer, bodyLimit: FRAME_BODY_LIMIT }, async (req) => {
      const { code } = codeParams.parse(req.params);
      const options = frameOptionsSchema.parse(req.query);
      const round = await findRound(ctx.db, code);
      const result = await uploadFrame(ctx, req.principal!, round, { body: req.body, isCsv: /csv/.test(req.headers['content-type'] ?? '') }, options);
      await runSamplingSoon(ctx.queues);
      await writeAudit(ctx.db, req.principal!, 'round.frame', { round: code, rows: result.rows, accepted: result.accepted, added: result.added, rejected: result.rejected.length, seed: result.seed, size: result.size });
      events.changed();
      return result;
    });

    app.get('/rounds/:code/progress', { onRequest: anyone }, async (req) => {
      const round = await findRound(ctx.db, codeParams.parse(req.params).code);
      const scoped = { ...round, quotas: round.quotas.filter((q) => followsUnit(req.principal!, q.unit.code)) };
      return roundProgress(ctx.db, scoped, ctx.now());
    });
  };
}
