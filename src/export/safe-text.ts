/**
 * Text that leaves the product in a download must not attack the spreadsheet that opens
 * it, nor carry the personal details citizens sometimes type into comments.
 */

const RISKY_START = /^[=+\-@\t\r]/;
/** A list separator followed by a risky character: in a locale whose separator differs (vi-VN uses ";"), the cell splits there. */
const RISKY_AFTER_SEPARATOR = /([;,])(\s*)(?=[=+\-@\t\r])/g;

/**
 * Neutralises a text cell against formula injection: a leading `=`, `+`, `-`, `@`, tab or
 * CR gets an apostrophe in front (shown as text), and so does one that follows a list
 * separator, since a spreadsheet that splits on `;` would start a new cell there.
 */
export function neutralizeFormula(cell: string | number): string | number {
  if (typeof cell !== 'string') return cell;
  const inner = cell.replace(RISKY_AFTER_SEPARATOR, "$1$2'");
  return RISKY_START.test(inner) ? `'${inner}` : inner;
}

// Vietnamese phone numbers as people type them: 0 or +84/84, then 9 digits, with spaces, dots or dashes.
const PHONE = /(?<![\p{L}\p{N}])(?:\+?84|0)(?:[\s.-]?\d){9}(?![\p{N}])/gu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// Identity card numbers: 9 digits (CMND) or 12 (CCCD), optionally grouped.
const ID_NUMBER = /(?<![\p{L}\p{N}])(?:\d{3}[\s.-]?\d{3}[\s.-]?\d{3}(?:[\s.-]?\d{3})?)(?![\p{N}])/gu;

/** Masks phone numbers, e-mail addresses and 9- or 12-digit ID numbers typed into free text. */
export function maskPersonalData(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[số điện thoại]').replace(ID_NUMBER, '[số giấy tờ]');
}

/** A free-text answer as it may appear in an export: personal details masked, then safe for spreadsheets. */
export const exportText = (text: string): string => neutralizeFormula(maskPersonalData(text)) as string;

/** `Content-Disposition` for a download whose name may hold Vietnamese (RFC 6266 with RFC 5987 `filename*`). */
export function attachmentHeader(fileName: string): string {
  const ascii = fileName
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9._-]+/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
