/** The calendar day in Asia/Ho_Chi_Minh (UTC+7, no DST) as a UTC-midnight Date for DATE columns. */
export function vietnamDay(at: Date): Date {
  const shifted = new Date(at.getTime() + 7 * 3600 * 1000);
  return new Date(Date.UTC(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate()));
}
