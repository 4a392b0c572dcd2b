import { describe, expect, it } from 'vitest';
import { dailyLimitReached } from '../../src/invitations/daily-invitation-limit.js';
import { vietnamDayBounds } from '../../src/core/vietnam-day.js';

describe('the Vietnam day of the daily invitation limit', () => {
  it('starts at 00:00 Asia/Ho_Chi_Minh (17:00 UTC the day before)', () => {
    expect(vietnamDayBounds(new Date('2026-12-05T16:59:59.999Z'))).toEqual({ start: new Date('2026-12-04T17:00:00Z'), end: new Date('2026-12-05T17:00:00Z') });
    expect(vietnamDayBounds(new Date('2026-12-05T17:00:00Z'))).toEqual({ start: new Date('2026-12-05T17:00:00Z'), end: new Date('2026-12-06T17:00:00Z') });
  });

  it('says when the limit resets, in Vietnam time, and how many seconds until then', () => {
    const err = dailyLimitReached(5000, new Date('2026-12-05T16:00:00Z'));
    expect(err.kind).toBe('rate_limited');
    expect(err.details).toEqual({ limit: 5000, resetsAt: '2026-12-06T00:00:00+07:00', retryAfterSeconds: 3600 });
    expect(err.message).toContain('00:00 Vietnam time');
  });
});
