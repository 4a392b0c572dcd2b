import { describe, expect, it } from 'vitest';
import { parseDay } from '../../src/core/parse-day.js';

const now = new Date('2026-12-05T00:00:00Z');
const day = (t: string) => parseDay(t, now);

describe('parseDay: report dates as people type them', () => {
  it('takes yyyy-mm-dd and day-first dd/mm/yyyy, with /, . or -', () => {
    for (const t of ['2026-12-01', '01/12/2026', '1/12/2026', '01.12.2026', '01-12-2026', ' 1/12/2026 ']) expect(day(t), t).toEqual({ ok: true, day: '2026-12-01' });
    expect(day('29/02/2024')).toEqual({ ok: true, day: '2024-02-29' });
  });

  it('refuses other shapes, days that do not exist and years out of range, naming the formats', () => {
    for (const t of ['2026-1-5', '2026-12-01T00:00', '12/2026', '1/6/25', 'hôm qua', '', '2026/12/01']) {
      const r = day(t);
      expect(r.ok, t).toBe(false);
      expect(!r.ok && r.message, t).toContain('dd/mm/yyyy');
    }
    expect(day('30/02/2026')).toMatchObject({ ok: false, message: expect.stringContaining('not a calendar day') });
    expect(day('0000-01-01')).toMatchObject({ ok: false, message: expect.stringContaining('out of range: a day from 2000 to 2027') });
    expect(day('01/01/2028')).toMatchObject({ ok: false });
    expect(day('31/12/2027')).toEqual({ ok: true, day: '2027-12-31' });
  });
});
