import { AppError } from '../core/app-error.js';
import { canUseUnit, type Principal } from '../auth/principal.js';
import type { AppConfig } from '../config/load-config.js';
import type { Db } from '../db/prisma-client.js';
import type { Invitation } from '../db/generated/client.js';
import type { CreateInvitationRequest } from './create-invitation-request.js';
import { batchRowHashOf, dossierHashOf } from './dossier-hash.js';
import { dailyInvitationAllowance, type InvitationAllowance } from './daily-invitation-limit.js';
import { generateInvitationToken, generateShortCode } from './invitation-codes.js';
import { roundForNewInvitation } from '../rounds/round-quota.js';
import { recipientFields } from './invitation-recipient.js';
import { DEFAULT_QUESTIONNAIRE_CODE, QuestionnaireNotFoundError, type QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';

export type CreateInvitationResult = { invitation: Invitation; created: boolean };

/**
 * `allowance`: the key's daily room to draw from (a bulk upload shares one per chunk; by
 * default a fresh count). `rowKey`: for a bulk row without dossier code, a key of its own
 * (batch and row) that dedupes like a dossier, so a resumed batch never creates a row twice.
 * `roundId`: the round an invitation drawn from a round's sampling frame belongs to (else the round open for the unit today).
 */
export type CreateInvitationOptions = { allowance?: InvitationAllowance; rowKey?: string; roundId?: number };

/** An invitation starts a survey: only an active version will do, and naming another is a 422 (the body names it). */
async function startable(catalog: QuestionnaireCatalog, ref: string) {
  try {
    return await catalog.resolve(ref, 'start');
  } catch (err) {
    if (err instanceof QuestionnaireNotFoundError) throw new AppError('unprocessable', err.code, err.message);
    throw err;
  }
}

const isUniqueViolation = (err: unknown, field?: string) =>
  (err as { code?: string }).code === 'P2002' && (!field || JSON.stringify((err as { meta?: unknown }).meta ?? '').includes(field));

/**
 * Creates an invitation, or returns the existing one for the same dossier at the same
 * unit (so the one-stop system can retry safely).
 */
export async function createInvitation(
  deps: { db: Db; config: AppConfig; catalog: QuestionnaireCatalog; now: () => Date },
  principal: Principal,
  req: CreateInvitationRequest,
  opts: CreateInvitationOptions = {},
): Promise<CreateInvitationResult> {
  const { db, config } = deps;
  if (!canUseUnit(principal, req.unitCode)) throw AppError.forbidden(`this key may not invite for unit ${req.unitCode}`);
  const unit = await db.unit.findUnique({ where: { code: req.unitCode } });
  if (!unit || !unit.active) throw new AppError('unprocessable', 'unknown_unit', `no active unit with code "${req.unitCode}"`);

  // The dossier is found again by a keyed hash: its plain code is dropped once the survey is done.
  const dossierHash = req.dossierCode
    ? dossierHashOf(config.pseudonymKey, unit.id, req.dossierCode)
    : opts.rowKey
      ? batchRowHashOf(config.pseudonymKey, unit.id, opts.rowKey)
      : null;
  if (dossierHash) {
    const existing = await db.invitation.findUnique({ where: { unitId_dossierHash: { unitId: unit.id, dossierHash } } });
    if (existing) return { invitation: existing, created: false };
  }
  const questionnaire = await startable(deps.catalog, req.questionnaire ?? DEFAULT_QUESTIONNAIRE_CODE);

  if (req.channel === 'zalo' && !config.zalo) throw new AppError('unprocessable', 'channel_disabled', 'the Zalo channel is not configured');
  if (req.channel === 'telegram' && !config.telegram) throw new AppError('unprocessable', 'channel_disabled', 'the Telegram channel is not configured');
  const recipient = recipientFields(req.channel, req.recipient);

  const now = deps.now();
  const expiresAt = new Date(now.getTime() + config.invitationTtlDays * 24 * 3600 * 1000);
  const isTest = req.test === true || req.channel === 'simulator';
  // The round open for the unit today (a 409 when its quota is full and the round stops inviting).
  const roundId = opts.roundId ?? (await roundForNewInvitation(db, unit, now, { test: isTest }));
  // The key's daily limit (429): only a new invitation counts, an existing dossier's costs nothing.
  const allowance = opts.allowance ?? dailyInvitationAllowance(deps, principal);
  await allowance.take();
  // Retry on the (rare) short-code collision; a dossier collision means a concurrent twin request won.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const invitation = await db.invitation.create({
        data: {
          token: generateInvitationToken(),
          code: generateShortCode(),
          channel: req.channel,
          unitId: unit.id,
          questionnaireId: questionnaire.id,
          procedureCode: req.procedureCode ?? null,
          dossierCode: req.dossierCode ?? null,
          dossierHash,
          ...recipient,
          createdByKeyId: /^[0-9a-f-]{36}$/.test(principal.keyId) ? principal.keyId : null,
          isTest,
          roundId,
          createdAt: now,
          expiresAt,
        },
      });
      return { invitation, created: true };
    } catch (err) {
      if (dossierHash && isUniqueViolation(err, 'dossier')) {
        allowance.release();
        const existing = await db.invitation.findUniqueOrThrow({ where: { unitId_dossierHash: { unitId: unit.id, dossierHash } } });
        return { invitation: existing, created: false };
      }
      if (!isUniqueViolation(err)) {
        allowance.release();
        throw err;
      }
    }
  }
  allowance.release();
  throw new Error('could not allocate a unique invitation code');
}
