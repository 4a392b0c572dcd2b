import { parse } from 'csv-parse/sync';

/**
 * A header as people write it, reduced to compare: NFC, no diacritics, "đ" as "d", lower
 * case, letters and digits only ("Mã đơn vị" → "madonvi", "unitCode" → "unitcode").
 */
export function headerKey(header: string): string {
  return header
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The separator of the header line: Excel saves CSV with ";" where the decimal comma is
 * the custom (Vietnamese settings), others with "," or a tab. Counted outside quotes.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>([[',', 0], [';', 0], ['\t', 0]]);
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  return [...counts.entries()].reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

/**
 * Reads a CSV upload into records keyed by canonical field names: a UTF-8 BOM is dropped,
 * the separator sniffed, and each header looked up in `aliases` (canonical name → accepted
 * headers, compared by `headerKey`); an unknown header keeps its own text. Throws
 * csv-parse's error for a malformed file.
 */
export function readCsvTable(text: string, aliases: Record<string, readonly string[]>): Record<string, string>[] {
  const byKey = new Map<string, string>();
  for (const [field, names] of Object.entries(aliases)) for (const n of [field, ...names]) byKey.set(headerKey(n), field);
  const body = text.replace(/^\uFEFF/, '');
  return parse(body, {
    columns: (headers: string[]) => headers.map((h) => byKey.get(headerKey(h)) ?? h.trim()),
    delimiter: sniffDelimiter(body),
    skip_empty_lines: true,
    // Excel keeps formatted but empty rows as ";;;;": they are not rows of data.
    skip_records_with_empty_values: true,
    trim: true,
  }) as Record<string, string>[];
}
