import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../src/scoring/wilson-interval.js';

// Reference values computed independently as the roots of (p̂ − p)² = z²·p(1 − p)/n, z = 1.959964
// (the same as R prop.test(x, n, correct = FALSE)$conf.int).
describe('wilsonInterval', () => {
  it.each([
    [0, 10, 0, 27.7533],
    [1, 10, 1.7876, 40.415],
    [5, 10, 23.6593, 76.3407],
    [9, 10, 59.585, 98.2124],
    [10, 10, 72.2467, 100],
    [81, 263, 25.5289, 36.621],
  ])('%i of %i → [%f, %f] %%', (x, n, low, high) => {
    const ci = wilsonInterval(x, n)!;
    expect(ci.low).toBeCloseTo(low, 3);
    expect(ci.high).toBeCloseTo(high, 3);
  });

  it('is exactly 0 at no successes and exactly 100 at all successes', () => {
    expect(wilsonInterval(0, 7)!.low).toBe(0);
    expect(wilsonInterval(7, 7)!.high).toBe(100);
  });

  it('is null without valid answers and always within [0, 100]', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    for (let n = 1; n <= 60; n++) {
      for (let x = 0; x <= n; x++) {
        const ci = wilsonInterval(x, n)!;
        expect(ci.low).toBeGreaterThanOrEqual(0);
        expect(ci.high).toBeLessThanOrEqual(100);
        expect(ci.low).toBeLessThanOrEqual((100 * x) / n);
        expect(ci.high).toBeGreaterThanOrEqual((100 * x) / n);
      }
    }
  });
});
