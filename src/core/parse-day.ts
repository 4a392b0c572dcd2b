import { z } from 'zod';

/** The date formats report periods accept, as people write them: for messages. */
export const DAY_FORMATS = 'dd/mm/yyyy (e.g. 01/12/2026) or yyyy-mm-dd (e.g. 2026-12-01)';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
// Day first, as Vietnamese users write dates: 1/12/2026, 01-12-2026, 01.12.2026.
const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

export type ParsedDay = { ok: true; day: string } | { ok: false; message: string };

/**
 * A calendar day typed in a query or a command line, as `YYYY-MM-DD`. Accepts
 * `yyyy-mm-dd` and day-first `dd/mm/yyyy` (also with `.` or `-`); refuses anything else,
 * days that do not exist (30/02) and days before 2000 or after the end of next year
 * (typos such as 0000-01-01 or 20260-01-01), with a message naming the formats.
 */
export function parseDay(text: string, now: Date = new Date()): ParsedDay {
  const t = text.trim();
  const iso = ISO.exec(t);
  const dm = iso ? null : DAY_FIRST.exec(t);
  const parts = iso ? [iso[1], iso[2], iso[3]] : dm ? [dm[3], dm[2], dm[1]] : null;
  if (!parts) return { ok: false, message: `"${t.slice(0, 40)}" is not a date: write ${DAY_FORMATS}` };
  const [y, m, d] = parts.map(Number) as [number, number, number];
  const lastYear = now.getUTCFullYear() + 1;
  if (y < 2000 || y > lastYear) return { ok: false, message: `"${t}" is out of range: a day from 2000 to ${lastYear}, written ${DAY_FORMATS}` };
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return { ok: false, message: `"${t}" is not a calendar day: write ${DAY_FORMATS}` };
  return { ok: true, day: date.toISOString().slice(0, 10) };
}

/** A query or body field holding a day as people type it, parsed to YYYY-MM-DD (a 400 naming the formats otherwise). */
export const dayField = z.string().transform((text, ctx) => {
  const parsed = parseDay(text);
  if (parsed.ok) return parsed.day;
  ctx.addIssue({ code: 'custom', message: parsed.message });
  return z.NEVER;
});
