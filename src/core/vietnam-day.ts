/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving). */
export const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The calendar day in Asia/Ho_Chi_Minh (UTC+7, no DST) as a UTC-midnight Date for DATE columns. */
export function vietnamDay(at: Date): Date {
  const shifted = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}

/** The Vietnam day holding `now`: its first instant and the first instant of the next one. */
export function vietnamDayBounds(now: Date): { start: Date; end: Date } {
  const start = Math.floor((now.getTime() + VIETNAM_OFFSET_MS) / DAY_MS) * DAY_MS - VIETNAM_OFFSET_MS;
  return { start: new Date(start), end: new Date(start + DAY_MS) };
}
