/**
 * Text clean-up for everything a citizen types.
 * `normalizeText` keeps the text (free-text answers are stored with it);
 * `foldText` is only for matching (commands, option labels, unit names).
 */

// C0 (except \n and \t), DEL, C1, zero-width and bidi controls, BOM.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;

// A surrogate half without its pair: not text, and PostgreSQL's jsonb refuses it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** NFC, CRLF → LF, tabs → spaces, control characters and lone surrogates removed, trimmed. */
export function normalizeText(input: string): string {
  return input
    .replace(LONE_SURROGATE, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .normalize('NFC')
    .trim();
}

/**
 * Lower-case, accent-free, whitespace-collapsed form used for matching:
 * "  Rất HÀI LÒNG. " → "rat hai long". NFKC first so full-width digits match.
 */
export function foldText(input: string): string {
  return normalizeText(input)
    .normalize('NFKC')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^["'“”‘’«»([]+|["'“”‘’«»)\].!?,;:…]+$/g, '')
    .trim();
}

/** Length in user-perceived code points (what the length cap counts). */
export function textLength(input: string): number {
  return [...input].length;
}
