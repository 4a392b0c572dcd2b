import { setImmediate } from 'node:timers/promises';
import { readCsvTable } from '../core/read-csv-table.js';
import { AppError } from '../core/app-error.js';
import { createInvitationRequestSchema, type CreateInvitationRequest } from './create-invitation-request.js';

const MAX_BULK_INVITATIONS = 5000;

export type BulkRow = { row: number; request?: CreateInvitationRequest; error?: string };

/** CSV columns by their API names or as one-stop-shop exports name them in Vietnamese. */
const CSV_HEADERS = {
  unitCode: ['Mã đơn vị', 'unit'],
  channel: ['Kênh'],
  questionnaire: ['Bảng hỏi', 'Phiếu khảo sát'],
  procedureCode: ['Mã thủ tục', 'Mã TTHC'],
  dossierCode: ['Mã hồ sơ', 'Số hồ sơ'],
  phone: ['Số điện thoại', 'Điện thoại', 'SĐT'],
  telegramChatId: ['Telegram chat id', 'Mã Telegram'],
  zaloUserId: ['Zalo user id', 'Mã Zalo'],
} as const;

/** CSV columns: unitCode, channel, questionnaire, procedureCode, dossierCode, phone, telegramChatId, zaloUserId. */
function fromCsvRecord(r: Record<string, string>): unknown {
  const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);
  const recipient = { phone: blank(r.phone), telegramChatId: blank(r.telegramChatId), zaloUserId: blank(r.zaloUserId) };
  const hasRecipient = Object.values(recipient).some(Boolean);
  return Object.fromEntries(
    Object.entries({
      unitCode: blank(r.unitCode),
      // "Telegram" or "ZALO" as typed in a spreadsheet.
      channel: blank(r.channel)?.toLowerCase(),
      questionnaire: blank(r.questionnaire),
      procedureCode: blank(r.procedureCode),
      dossierCode: blank(r.dossierCode),
      recipient: hasRecipient ? Object.fromEntries(Object.entries(recipient).filter(([, v]) => v)) : undefined,
    }).filter(([, v]) => v !== undefined),
  );
}

/** Rows validated between two yields to the event loop: 5,000 rows at once would hold up the webhooks for about 100 ms. */
const ROWS_PER_SLICE = 250;

/**
 * Validates each row on its own: a bad row is reported with its number and does not
 * stop the good ones (each invitation is independent and idempotent per dossier).
 */
export async function parseBulkInvitations(body: unknown, isCsv: boolean): Promise<BulkRow[]> {
  let records: unknown[];
  if (isCsv) {
    try {
      records = readCsvTable(String(body ?? ''), CSV_HEADERS).map(fromCsvRecord);
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
  const rows: BulkRow[] = [];
  for (const [i, raw] of records.entries()) {
    if (i > 0 && i % ROWS_PER_SLICE === 0) await setImmediate();
    rows.push(validateRow(raw, i + 1));
  }
  return rows;
}

function validateRow(raw: unknown, row: number): BulkRow {
  const parsed = createInvitationRequestSchema.safeParse(raw);
  return parsed.success ? { row, request: parsed.data } : { row, error: parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ') };
}
