import type { RawSql } from '../db/sql-pool.js';
import type { QualityFlag } from './quality-flags.js';

/**
 * Anonymity at rest: once a response is over, nothing in the database links its answers
 * to a person. The response keeps its unit, procedure, questionnaire version, source,
 * completion day and answers; it loses its invitation and respondent and every exact
 * time. Its invitation keeps its status and completion day; it loses its recipient
 * (phone, chat id, Zalo id), its procedure (which, with unit and day, could match it to
 * the response), its dossier code (its keyed hash stays, so the one-stop
 * system's retries still find it) and its exact times; its delivery-log rows lose their
 * recipient. This module owns those writes.
 */
export type CutItem = { completion: { responseId: string; invitationId?: string | undefined }; day: string; flags: QualityFlag[]; counted: boolean };

export async function cutCompletedLinks(tx: RawSql, items: CutItem[]): Promise<void> {
  if (items.length === 0) return;
  const ids = items.map((i) => i.completion.responseId);
  await tx.$executeRaw`
    UPDATE responses r SET counted = t.counted, quality_flags = string_to_array(t.flags, ',')::text[],
      invitation_id = NULL, respondent_id = NULL, started_at = NULL, completed_at = NULL, updated_at = NULL
    FROM unnest(${ids}::uuid[], ${items.map((i) => i.counted)}::boolean[], ${items.map((i) => i.flags.join(','))}::text[]) AS t(id, counted, flags)
    WHERE r.id = t.id`;
  await tx.$executeRaw`UPDATE answers SET answered_at = NULL WHERE response_id = ANY(${ids}::uuid[])`;
  const invited = items.filter((i) => i.completion.invitationId);
  if (invited.length === 0) return;
  const invitationIds = invited.map((i) => i.completion.invitationId!);
  await tx.$executeRaw`
    UPDATE invitations i SET status = 'completed', completed_day = t.day::date, completed_at = NULL, sent_at = NULL, opened_at = NULL, started_at = NULL,
      recipient_phone = NULL, recipient_chat_id = NULL, recipient_zalo_id = NULL, dossier_code = NULL, procedure_code = NULL
    FROM unnest(${invitationIds}::uuid[], ${invited.map((i) => i.day)}::text[]) AS t(id, day)
    WHERE i.id = t.id`;
  await tx.$executeRaw`UPDATE outbound_messages SET recipient = '' WHERE invitation_id = ANY(${invitationIds}::uuid[])`;
}

/** A response given up (idle past the limit, or replaced by a new invitation): cut loose the same way. */
export async function cutAbandonedLinks(tx: RawSql, responseIds: string[]): Promise<void> {
  if (responseIds.length === 0) return;
  const cut = await tx.$queryRaw<{ invitation_id: string | null }[]>`
    WITH old AS (SELECT id, invitation_id FROM responses WHERE id = ANY(${responseIds}::uuid[]) AND status = 'abandoned' FOR UPDATE)
    UPDATE responses r SET invitation_id = NULL, respondent_id = NULL, started_at = NULL, updated_at = NULL
    FROM old WHERE r.id = old.id
    RETURNING old.invitation_id::text AS invitation_id`;
  await tx.$executeRaw`UPDATE answers SET answered_at = NULL WHERE response_id = ANY(${responseIds}::uuid[])`;
  const invitationIds = cut.flatMap((c) => (c.invitation_id ? [c.invitation_id] : []));
  if (invitationIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE invitations SET sent_at = NULL, opened_at = NULL, started_at = NULL, recipient_phone = NULL, recipient_chat_id = NULL, recipient_zalo_id = NULL, dossier_code = NULL, procedure_code = NULL
    WHERE id = ANY(${invitationIds}::uuid[])`;
  await tx.$executeRaw`UPDATE outbound_messages SET recipient = '' WHERE invitation_id = ANY(${invitationIds}::uuid[])`;
}
