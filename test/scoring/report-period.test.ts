import { describe, expect, it } from 'vitest';
import { latestEndedPeriod, parsePeriod, periodEnded } from '../../src/scoring/report-period.js';

const now = new Date('2026-12-05T03:00:00Z');
const period = (text: string) => {
  const p = parsePeriod(text, now);
  if (!p.ok) throw new Error(p.message);
  return p.period;
};

describe('report periods', () => {
  it('reads a year, a quarter and a month as people write them', () => {
    expect(period('2025')).toEqual({ name: '2025', granularity: 'year', from: '2025-01-01', to: '2025-12-31' });
    expect(period('2026-Q3')).toEqual({ name: '2026-Q3', granularity: 'quarter', from: '2026-07-01', to: '2026-09-30' });
    expect(period('q1/2024')).toMatchObject({ name: '2024-Q1', from: '2024-01-01', to: '2024-03-31' });
    expect(period('2024-2')).toMatchObject({ name: '2024-02', from: '2024-02-01', to: '2024-02-29' });
    expect(period('12/2026')).toMatchObject({ name: '2026-12', from: '2026-12-01', to: '2026-12-31' });
  });

  it('refuses anything else, naming the formats, and years outside 2000 to next year', () => {
    for (const bad of ['', 'Q5/2026', '2026-13', '13/2026', 'năm nay', '2026-Q4; DROP', '0000', '1999', '2028']) {
      const p = parsePeriod(bad, now);
      expect(p.ok, bad).toBe(false);
      if (!p.ok) expect(p.message).toMatch(/2026-Q4|from 2000 to 2027/);
    }
    expect(parsePeriod('2027', now).ok).toBe(true);
  });

  it('a period has ended once its last day has passed in Vietnam', () => {
    expect(periodEnded(period('2026-11'), now)).toBe(true);
    expect(periodEnded(period('2026-12'), now)).toBe(false);
    expect(periodEnded(period('2026-Q4'), now)).toBe(false);
    // 30 November, 17:30 UTC is already 1 December in Vietnam.
    expect(periodEnded(period('2026-11'), new Date('2026-11-30T17:30:00Z'))).toBe(true);
    expect(periodEnded(period('2026-11'), new Date('2026-11-30T16:30:00Z'))).toBe(false);
  });

  it('the latest ended period of each kind', () => {
    expect(latestEndedPeriod('month', now).name).toBe('2026-11');
    expect(latestEndedPeriod('quarter', now).name).toBe('2026-Q3');
    expect(latestEndedPeriod('year', now).name).toBe('2025');
    const january = new Date('2027-01-10T00:00:00Z');
    expect(latestEndedPeriod('month', january).name).toBe('2026-12');
    expect(latestEndedPeriod('quarter', january).name).toBe('2026-Q4');
  });
});
