import type { Principal } from '../auth/principal.js';
import { writeAudit } from '../audit/write-audit.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';
import { QuestionnaireNotFoundError } from '../questionnaire/questionnaire-catalog.js';
import type { CreateRound, PatchRound } from '../rounds/round-schema.js';
import { createRound, findRound, patchRound, type RoundWithQuotas } from '../rounds/round-store.js';
import type { FrameOptions } from '../sampling/frame-row-schema.js';
import type { RoundEvents } from '../sampling/round-events.js';
import { runSamplingSoon } from '../sampling/schedule-sampling.js';
import { uploadFrame, type FrameUploadResult } from '../sampling/upload-frame.js';

/** A frame of 100,000 completed dossiers fits (one-stop-shop exports run to a few hundred bytes a row). */
export const FRAME_BODY_LIMIT = 20 * 1024 * 1024;

/**
 * What changing a round takes, wherever it is asked for (the JSON API or the web console):
 * the store's change, its audit record with the caller as actor, and the round events.
 */

export async function createRoundAudited(ctx: AppContext, events: RoundEvents, principal: Principal | string, body: CreateRound): Promise<RoundWithQuotas> {
  let questionnaire;
  try {
    questionnaire = await ctx.catalog.resolve(body.questionnaire, 'start');
  } catch (err) {
    if (err instanceof QuestionnaireNotFoundError) throw new AppError('unprocessable', err.code, err.message);
    throw err;
  }
  const round = await createRound(ctx.db, body, questionnaire.id);
  await writeAudit(ctx.db, principal, 'round.create', { round: round.code, units: round.quotas.length });
  events.changed();
  return round;
}

export async function patchRoundAudited(ctx: AppContext, events: RoundEvents, principal: Principal | string, code: string, patch: PatchRound): Promise<RoundWithQuotas> {
  const { round, closedNow } = await patchRound(ctx.db, code, patch, ctx.now());
  await writeAudit(ctx.db, principal, 'round.update', { round: code, fields: Object.keys(patch) });
  events.changed();
  if (closedNow) await events.closed(round.id);
  return round;
}

/** A frame upload by `principal` (officers: their own units' rows only), then the sampling work soon. */
export async function uploadFrameAudited(
  ctx: AppContext,
  events: RoundEvents,
  principal: Principal,
  code: string,
  upload: { body: unknown; isCsv: boolean },
  options: FrameOptions,
): Promise<FrameUploadResult> {
  const round = await findRound(ctx.db, code);
  const result = await uploadFrame(ctx, principal, round, upload, options);
  await runSamplingSoon(ctx.queues);
  await writeAudit(ctx.db, principal, 'round.frame', { round: code, rows: result.rows, accepted: result.accepted, added: result.added, rejected: result.rejected.length, seed: result.seed, size: result.size });
  events.changed();
  return result;
}
