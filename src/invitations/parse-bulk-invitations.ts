import { parse } from 'csv-parse/sync';
import { AppError } from '../core/app-error.js';
import { createInvitationRequestSchema, type CreateInvitationRequest } from './create-invitation-request.js';

const MAX_BULK_INVITATIONS = 5000;

export type BulkRow = { row: number; request?: CreateInvitationRequest; error?: string };

/** CSV columns: unitCode, channel, questionnaire, procedureCode, dossierCode, phone, telegramChatId, zaloUserId. */
function fromCsvRecord(r: Record<string, string>): unknown {
  const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
  const recipient = { phone: blank(r.phone), telegramChatId: blank(r.telegramChatId), zaloUserId: blank(r.zaloUserId) };
  const hasRecipient = Object.values(recipient).some(Boolean);
  return Object.fromEntries(
    Object.entries({
      unitCode: blank(r.unitCode),
      channel: blank(r.channel),
      questionnaire: blank(r.questionnaire),
      procedureCode: blank(r.procedureCode),
      dossierCode: blank(r.dossierCode),
      recipient: hasRecipient ? Object.fromEntries(Object.entries(recipient).filter(([, v]) => v)) : undefined,
    }).filter(([, v]) => v !== undefined),
  );
}

/**
 * Validates each row on its own: a bad row is reported with its number and does not
 * stop the good ones (each invitation is independent and idempotent per dossier).
 */
export function parseBulkInvitations(body: unknown, isCsv: boolean): BulkRow[] {
  let records: unknown[];
  if (isCsv) {
    try {
      records = (parse(String(body ?? '').replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[]).map(fromCsvRecord);
    } catch (err) {
      throw AppError.invalid(`the CSV could not be read: ${(err as Error).message}`);
    }
  } else {
    const list = Array.isArray(body) ? body : (body as { invitations?: unknown })?.invitations;
    if (!Array.isArray(list)) throw AppError.invalid('expected a JSON array of invitations, {"invitations": [...]}, or text/csv');
    records = list;
  }
  if (records.length === 0) throw AppError.invalid('no invitations in the upload');
  if (records.length > MAX_BULK_INVITATIONS) throw AppError.invalid(`at most ${MAX_BULK_INVITATIONS} invitations per upload`);
  return records.map((raw, i) => {
    const parsed = createInvitationRequestSchema.safeParse(raw);
    return parsed.success
      ? { row: i + 1, request: parsed.data }
      : { row: i + 1, error: parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') };
  });
}
