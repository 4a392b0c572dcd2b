/** Officer-facing formats: dd/mm/yyyy in Vietnam's time zone, numbers with a decimal comma. */
const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' });
const TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hour12: false });

export function formatDate(d: Date): string {
  return DATE.format(d);
}

export function formatDateTime(d: Date): string {
  return `${DATE.format(d)} ${TIME.format(d)}`;
}

/** A calendar day stored as UTC midnight (rounds' opensOn, closesOn), shown as that day. */
export function formatDay(d: Date): string {
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

/** 1234.5 → "1.234,5" (Vietnamese: dot for thousands, comma for decimals). */
export function formatNumber(n: number, decimals = 0): string {
  return n.toLocaleString('vi-VN', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** 0.8234 → "82,3%". */
export function formatPercent(share: number, decimals = 1): string {
  return `${formatNumber(share * 100, decimals)}%`;
}
