import { vietnamDay } from '../core/vietnam-day.js';

/** The kinds of whole period a report can be asked for by name. */
export type PeriodGranularity = 'year' | 'quarter' | 'month';

/** A whole calendar period: its name ("2026", "2026-Q4", "2026-12") and its first and last day. */
export type NamedPeriod = { name: string; granularity: PeriodGranularity; from: string; to: string };

export const PERIOD_FORMATS = 'a year (2026), a quarter (2026-Q4 or Q4/2026) or a month (2026-12 or 12/2026)';

const YEAR = /^(\d{4})$/;
const QUARTER = /^(?:(\d{4})-?Q([1-4])|Q([1-4])[/-](\d{4}))$/i;
const MONTH = /^(?:(\d{4})-(\d{1,2})|(\d{1,2})[/-](\d{4}))$/;

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
/** First and last day of months `m1`…`m2` of year `y`. */
const span = (y: number, m1: number, m2: number) => ({ from: iso(y, m1, 1), to: iso(y, m2 + 1, 0) });

function periodOf(granularity: PeriodGranularity, y: number, n: number): NamedPeriod {
  if (granularity === 'year') return { name: String(y), granularity, ...span(y, 1, 12) };
  if (granularity === 'quarter') return { name: `${y}-Q${n}`, granularity, ...span(y, 3 * n - 2, 3 * n) };
  return { name: `${y}-${String(n).padStart(2, '0')}`, granularity, ...span(y, n, n) };
}

export type ParsedPeriod = { ok: true; period: NamedPeriod } | { ok: false; message: string };

/** A period name as people type it; years from 2000 to next year. */
export function parsePeriod(text: string, now: Date = new Date()): ParsedPeriod {
  const t = text.trim();
  const y4 = YEAR.exec(t);
  const q = QUARTER.exec(t);
  const m = MONTH.exec(t);
  const found: [PeriodGranularity, number, number] | null = y4
    ? ['year', Number(y4[1]), 0]
    : q
      ? ['quarter', Number(q[1] ?? q[4]), Number(q[2] ?? q[3])]
      : m
        ? ['month', Number(m[1] ?? m[4]), Number(m[2] ?? m[3])]
        : null;
  if (!found) return { ok: false, message: `"${t.slice(0, 40)}" is not a period: write ${PERIOD_FORMATS}` };
  const [granularity, y, n] = found;
  const lastYear = now.getUTCFullYear() + 1;
  if (y < 2000 || y > lastYear) return { ok: false, message: `"${t}" is out of range: a period from 2000 to ${lastYear}` };
  if (granularity === 'month' && (n < 1 || n > 12)) return { ok: false, message: `"${t}" is not a month: write ${PERIOD_FORMATS}` };
  return { ok: true, period: periodOf(granularity, y, n) };
}

const todayIn = (now: Date) => vietnamDay(now).toISOString().slice(0, 10);

/** Whether the period's last day has passed (Asia/Ho_Chi_Minh): no response can still join it. */
export const periodEnded = (p: NamedPeriod, now: Date): boolean => p.to < todayIn(now);

/** The most recent period of `granularity` that has ended. */
export function latestEndedPeriod(granularity: PeriodGranularity, now: Date): NamedPeriod {
  const today = vietnamDay(now);
  const [y, month] = [today.getUTCFullYear(), today.getUTCMonth() + 1];
  if (granularity === 'year') return periodOf('year', y - 1, 0);
  if (granularity === 'quarter') {
    const q = Math.ceil(month / 3) - 1;
    return q === 0 ? periodOf('quarter', y - 1, 4) : periodOf('quarter', y, q);
  }
  return month === 1 ? periodOf('month', y - 1, 12) : periodOf('month', y, month - 1);
}
