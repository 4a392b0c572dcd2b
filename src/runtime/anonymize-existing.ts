import type { Db } from '../db/prisma-client.js';
import { dossierHashOf } from '../invitations/dossier-hash.js';

/**
 * Brings rows stored before anonymity at rest to it (run at start; it finds nothing to do
 * once done, through a partial index that stays empty): responses that are over lose their
 * links and exact times, their invitations keep only status and completion day, and
 * invitations get the keyed hash of their dossier code. Returns how many rows it changed.
 */
export async function anonymizeExisting(db: Db, pseudonymKey: string): Promise<{ responses: number; dossiers: number }> {
  const dossiers = await hashDossiers(db, pseudonymKey);
  // Expired invitations will never be sent again (see invitations/expire-invitations.ts).
  await db.$executeRaw`
    UPDATE invitations SET recipient_phone = NULL, recipient_chat_id = NULL, recipient_zalo_id = NULL, dossier_code = NULL
    WHERE status = 'expired' AND (recipient_phone IS NOT NULL OR recipient_chat_id IS NOT NULL OR recipient_zalo_id IS NOT NULL OR dossier_code IS NOT NULL)`;
  const linked = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM responses WHERE status IN ('completed', 'abandoned') AND (invitation_id IS NOT NULL OR respondent_id IS NOT NULL)`;
  if (!linked[0]?.n) return { responses: 0, dossiers };
  const responses = await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE invitations i SET status = 'completed', completed_day = COALESCE(i.completed_day, (i.completed_at AT TIME ZONE 'UTC' AT TIME ZONE 'Asia/Ho_Chi_Minh')::date),
        completed_at = NULL, sent_at = NULL, opened_at = NULL, started_at = NULL, recipient_phone = NULL, recipient_chat_id = NULL, recipient_zalo_id = NULL, dossier_code = NULL, procedure_code = NULL
      FROM responses r WHERE r.invitation_id = i.id AND r.status = 'completed'`;
    await tx.$executeRaw`
      UPDATE invitations i SET sent_at = NULL, opened_at = NULL, started_at = NULL, recipient_phone = NULL, recipient_chat_id = NULL, recipient_zalo_id = NULL, dossier_code = NULL, procedure_code = NULL
      FROM responses r WHERE r.invitation_id = i.id AND r.status = 'abandoned'`;
    await tx.$executeRaw`
      UPDATE outbound_messages o SET recipient = '' FROM responses r WHERE r.invitation_id = o.invitation_id AND r.status IN ('completed', 'abandoned')`;
    await tx.$executeRaw`
      UPDATE answers a SET answered_at = NULL FROM responses r WHERE a.response_id = r.id AND r.status IN ('completed', 'abandoned') AND a.answered_at IS NOT NULL`;
    return tx.$executeRaw`
      UPDATE responses SET invitation_id = NULL, respondent_id = NULL, started_at = NULL, completed_at = NULL, updated_at = NULL
      WHERE status IN ('completed', 'abandoned') AND (invitation_id IS NOT NULL OR respondent_id IS NOT NULL)`;
  }, { timeout: 600_000 });
  return { responses, dossiers };
}

async function hashDossiers(db: Db, key: string): Promise<number> {
  let changed = 0;
  for (;;) {
    const batch = await db.invitation.findMany({ where: { dossierCode: { not: null }, dossierHash: null }, select: { id: true, unitId: true, dossierCode: true }, take: 1000 });
    if (batch.length === 0) return changed;
    await db.$transaction(batch.map((b) => db.invitation.update({ where: { id: b.id }, data: { dossierHash: dossierHashOf(key, b.unitId, b.dossierCode!) } })));
    changed += batch.length;
  }
}
