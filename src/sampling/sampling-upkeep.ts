import type { Principal } from '../auth/principal.js';
import { AppError } from '../core/app-error.js';
import type { Logger } from '../observability/create-logger.js';
import { createAndQueue, type CreateAndQueueDeps } from '../invitations/create-and-queue.js';
import { markClosed, roundsDueToClose } from '../rounds/round-store.js';
import { drawRows, dueFrameRows, forgetFrame, linkInvitation, refuseRow, takeUndeliverable } from './frame-store.js';

/** Invitations of a round's sample are created by the product itself, not by a key (they are bounded by the quotas). */
const SAMPLING: Principal = { keyId: 'round-sampling', role: 'admin', unitCodes: [] };
const BATCH = 200;

export type SamplingOutcome = { closed: number; forgotten: number; replaced: number; invited: number; refused: number };

/**
 * One pass of a round's sampling work, run by a scheduled job (and at once after an
 * upload): rounds past their last day are closed and forget the frame rows never drawn;
 * a drawn row whose invitation proved undeliverable is replaced by the next row of the
 * same unit in the draw order; drawn rows whose wave is due are invited (delivery then
 * waits for the end of quiet hours and goes at the channel's pace).
 */
export async function runSamplingUpkeep(deps: CreateAndQueueDeps & { logger: Logger }, opts: { maxMs?: number } = {}): Promise<SamplingOutcome> {
  const { db } = deps;
  const now = deps.now();
  const out: SamplingOutcome = { closed: 0, forgotten: 0, replaced: 0, invited: 0, refused: 0 };
  for (const round of await roundsDueToClose(db, now)) {
    if ((await markClosed(db, round.id, now)).count) out.closed += 1;
    out.forgotten += (await forgetFrame(db, round.id)).deleted;
  }
  for (const gone of await takeUndeliverable(db)) {
    out.replaced += await drawRows(db, gone.roundId, gone.unitId, 1, () => ({ wave: gone.wave ?? 1, dueAt: now }));
  }
  const deadline = Date.now() + (opts.maxMs ?? 50_000);
  while (Date.now() < deadline) {
    const due = await dueFrameRows(db, deps.now(), BATCH);
    if (due.length === 0) break;
    for (const row of due) {
      const recipient = {
        ...(row.recipientPhone ? { phone: row.recipientPhone } : {}),
        ...(row.recipientChatId ? { telegramChatId: row.recipientChatId } : {}),
        ...(row.recipientZaloId ? { zaloUserId: row.recipientZaloId } : {}),
      };
      try {
        const { invitation } = await createAndQueue(
          deps,
          SAMPLING,
          { unitCode: row.unit.code, channel: row.channel as 'telegram' | 'zalo', questionnaire: `${row.round.questionnaire.code}@${row.round.questionnaire.version}`, ...(row.procedureCode ? { procedureCode: row.procedureCode } : {}), ...(row.dossierCode ? { dossierCode: row.dossierCode } : {}), recipient },
          { roundId: row.round.id },
        );
        await linkInvitation(db, row.id, invitation.id);
        out.invited += 1;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        await refuseRow(db, row.id);
        out.refused += 1;
        deps.logger.warn({ code: err.code, roundId: row.round.id }, 'a drawn frame row could not be invited');
      }
    }
  }
  return out;
}
