import { describe, expect, it } from 'vitest';
import { msUntilQuietEnds, parseQuietHours } from '../../src/core/quiet-hours.js';

/** A moment given in Vietnam time (UTC+7). */
const vn = (hhmm: string, day = '2026-12-05') => Date.parse(`${day}T${hhmm}:00+07:00`);
const MIN = 60_000;

describe('quiet hours', () => {
  const night = parseQuietHours('21:00-07:00');

  it('parses HH:MM-HH:MM and "off", and refuses anything else', () => {
    expect(night).toEqual({ startMinute: 21 * 60, endMinute: 7 * 60 });
    expect(parseQuietHours('off')).toBeNull();
    expect(parseQuietHours(' 12:30 - 13:15 ')).toEqual({ startMinute: 750, endMinute: 795 });
    for (const bad of ['21-7', '25:00-07:00', '21:00', '21:00-07:00-08:00', '07:00-07:00']) expect(() => parseQuietHours(bad), bad).toThrow();
  });

  it('across midnight: the wait until 07:00, none outside the window', () => {
    expect(msUntilQuietEnds(vn('22:30'), night)).toBe(8 * 60 * MIN + 30 * MIN);
    expect(msUntilQuietEnds(vn('21:00'), night)).toBe(10 * 60 * MIN);
    expect(msUntilQuietEnds(vn('06:59'), night)).toBe(MIN);
    expect(msUntilQuietEnds(vn('07:00'), night)).toBe(0);
    expect(msUntilQuietEnds(vn('20:59'), night)).toBe(0);
    expect(msUntilQuietEnds(vn('12:00'), night)).toBe(0);
    expect(msUntilQuietEnds(vn('22:30'), null)).toBe(0);
  });

  it('a window within one day', () => {
    const lunch = parseQuietHours('11:30-13:30');
    expect(msUntilQuietEnds(vn('12:00'), lunch)).toBe(90 * MIN);
    expect(msUntilQuietEnds(vn('13:30'), lunch)).toBe(0);
    expect(msUntilQuietEnds(vn('23:00'), lunch)).toBe(0);
  });
});
