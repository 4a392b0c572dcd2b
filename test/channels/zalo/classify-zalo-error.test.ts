import { describe, expect, it } from 'vitest';
import { classifyZaloError } from '../../../src/channels/zalo/classify-zalo-error.js';
import { msUntilVietnamMorning, NIGHT_CLOCK_SKEW_RETRY_MS } from '../../../src/channels/zalo/ms-until-vietnam-morning.js';

const at = (iso: string) => Date.parse(iso);

describe('classifyZaloError', () => {
  it.each([
    [-216, 'cs', 'token'],
    [-220, 'cs', 'token'],
    [-124, 'zns', 'token'],
    [-32, 'cs', 'rate_limited'],
    [-32, 'zns', 'rate_limited'],
    [-234, 'cs', 'night'],
    [-230, 'cs', 'silent'],
    [-232, 'cs', 'silent'],
    [-213, 'cs', 'unreachable'],
    [-217, 'cs', 'unreachable'],
    [-244, 'cs', 'unreachable'],
    [-108, 'zns', 'undeliverable'],
    [-118, 'zns', 'undeliverable'],
    [-108, 'cs', 'retryable'],
    [-1, 'cs', 'retryable'],
    [-99999, 'zns', 'retryable'],
  ] as const)('%i on %s → %s', (code, api, kind) => {
    const f = classifyZaloError(code, 'msg', api, at('2025-01-01T05:00:00Z'));
    expect(f.kind).toBe(kind);
    expect(f.code).toBe(code);
  });

  it('gives the ZNS undeliverable reasons', () => {
    expect(classifyZaloError(-108, '', 'zns')).toMatchObject({ reason: 'bad_phone' });
    expect(classifyZaloError(-118, '', 'zns')).toMatchObject({ reason: 'no_zalo_account' });
  });

  it('backs off a minute on -32', () => {
    expect(classifyZaloError(-32, '', 'cs')).toMatchObject({ retryAfterMs: 60_000 });
  });

  it('delays -234 until 06:00 Asia/Ho_Chi_Minh', () => {
    // 23:30 in Vietnam = 16:30 UTC → 06:00 next day (23:00 UTC): 6 h 30 min.
    const now = at('2025-03-10T16:30:00Z');
    const f = classifyZaloError(-234, 'night', 'cs', now);
    expect(f).toMatchObject({ kind: 'night', delayMs: 6.5 * 3600_000 });
    expect(f.kind === 'night' && f.retryAt.toISOString()).toBe('2025-03-10T23:00:00.000Z');
  });
});

describe('msUntilVietnamMorning', () => {
  it('computes the exact delay across the night window', () => {
    expect(msUntilVietnamMorning(at('2025-03-10T15:00:00Z'))).toBe(8 * 3600_000); // 22:00 VN
    expect(msUntilVietnamMorning(at('2025-03-10T16:59:59.250Z'))).toBe(6 * 3600_000 + 750); // 23:59:59.250
    expect(msUntilVietnamMorning(at('2025-03-10T17:00:00Z'))).toBe(6 * 3600_000); // 00:00 VN
    expect(msUntilVietnamMorning(at('2025-03-10T22:59:59Z'))).toBe(1_000); // 05:59:59
    expect(msUntilVietnamMorning(at('2025-12-31T20:00:00Z'))).toBe(3 * 3600_000); // 03:00 on New Year's day
  });

  it('retries soon when our clock says it is already day', () => {
    expect(msUntilVietnamMorning(at('2025-03-10T23:00:00Z'))).toBe(NIGHT_CLOCK_SKEW_RETRY_MS); // 06:00 sharp
    expect(msUntilVietnamMorning(at('2025-03-10T05:00:00Z'))).toBe(NIGHT_CLOCK_SKEW_RETRY_MS); // noon
  });

  it('does not depend on the process time zone', () => {
    const now = at('2025-03-10T16:30:00Z');
    expect(new Date(now + msUntilVietnamMorning(now)).toLocaleString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh' })).toBe('11/03/2025, 06:00:00');
  });
});
