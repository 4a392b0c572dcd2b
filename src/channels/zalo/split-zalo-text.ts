/** Longest text of one Zalo CS message, in characters (UTF-16 code units: never under-counts). */
export const ZALO_TEXT_LIMIT = 2000;

/** Cuts `s` (longer than `limit`) at the last space before `limit`, else hard, never inside a surrogate pair. */
function cutLongLine(s: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = s;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf(' ', limit);
    if (cut <= 0) {
      cut = limit;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^ +/, '');
  }
  if (rest !== '') parts.push(rest);
  return parts;
}

/**
 * Splits text into messages of at most `limit` characters, at line boundaries where
 * possible (a single over-long line is cut at a space). Text within the limit is
 * returned unchanged as one part.
 */
export function splitZaloText(text: string, limit: number = ZALO_TEXT_LIMIT): string[] {
  if (limit < 2) throw new RangeError('limit must be at least 2');
  if (text.length <= limit) return [text];
  const chunks: string[] = [];
  let current = '';
  const flush = () => {
    const trimmed = current.replace(/\n+$/, '');
    if (trimmed.trim() !== '') chunks.push(trimmed);
    current = '';
  };
  for (const line of text.split('\n')) {
    const pieces = line.length > limit ? cutLongLine(line, limit) : [line];
    for (const piece of pieces) {
      const joined = current === '' ? piece : `${current}\n${piece}`;
      if (joined.length <= limit) {
        current = joined;
      } else {
        flush();
        current = piece;
      }
    }
  }
  flush();
  return chunks;
}
