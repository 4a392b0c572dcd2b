/**
 * Quiet hours: the local (Asia/Ho_Chi_Minh, UTC+7 all year) window in which nothing is
 * sent on the product's own initiative — invitations, reminders, round waves. Replies to a
 * citizen's own message are never held back.
 */
export type QuietHours = { startMinute: number; endMinute: number };

const VN_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;
const MINUTE_MS = 60_000;
const HHMM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/** "21:00-07:00" (or "off"): the window, or null when there is none. Throws on anything else. */
export function parseQuietHours(text: string): QuietHours | null {
  const t = text.trim().toLowerCase();
  if (t === 'off' || t === '') return null;
  const [from, to, ...rest] = t.split('-').map((s) => HHMM.exec(s.trim()));
  if (!from || !to || rest.length) throw new Error('expected HH:MM-HH:MM in Vietnam time (e.g. 21:00-07:00), or "off"');
  const startMinute = Number(from[1]) * 60 + Number(from[2]);
  const endMinute = Number(to[1]) * 60 + Number(to[2]);
  if (startMinute === endMinute) throw new Error('the window is empty: start and end are the same time');
  return { startMinute, endMinute };
}

/** Milliseconds from `now` until the quiet window ends; 0 outside it. */
export function msUntilQuietEnds(now: number, quiet: QuietHours | null): number {
  if (!quiet) return 0;
  const sinceMidnight = (((now + VN_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
  const start = quiet.startMinute * MINUTE_MS;
  const end = quiet.endMinute * MINUTE_MS;
  const inside = start < end ? sinceMidnight >= start && sinceMidnight < end : sinceMidnight >= start || sinceMidnight < end;
  if (!inside) return 0;
  return (end - sinceMidnight + DAY_MS) % DAY_MS;
}
