/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975). */
const VN_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;
const MORNING_MS = 6 * 3600_000;
const NIGHT_START_MS = 22 * 3600_000;
/** Used when Zalo says "night" but our clock says day (clocks a little apart around 06:00). */
export const NIGHT_CLOCK_SKEW_RETRY_MS = 5 * 60_000;

/**
 * Milliseconds from `now` until the next 06:00 in Vietnam, for a send refused at night
 * (22:00–06:00 local). Outside that window the clocks disagree: retry after a few minutes
 * rather than a whole day.
 */
export function msUntilVietnamMorning(now: number): number {
  const local = now + VN_OFFSET_MS;
  const sinceMidnight = ((local % DAY_MS) + DAY_MS) % DAY_MS;
  if (sinceMidnight < MORNING_MS) return MORNING_MS - sinceMidnight;
  if (sinceMidnight >= NIGHT_START_MS) return DAY_MS - sinceMidnight + MORNING_MS;
  return NIGHT_CLOCK_SKEW_RETRY_MS;
}
