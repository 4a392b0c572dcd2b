import type { Interval } from './report-schema.js';

/** Two-sided 95% normal quantile, z = Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054;


/**
 * Wilson score interval for a proportion, returned in percent (0–100).
 * `successes` of `n` trials; `null` when `n` is 0. Unlike the Wald interval it stays
 * inside [0, 100] and has non-zero width when every answer is (or none is) a success.
 */
export function wilsonInterval(successes: number, n: number, z: number = Z_95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At p = 0 or 1 one bound is exactly 0 or 100 in theory; do not let rounding move it.
  const low = successes <= 0 ? 0 : Math.max(0, centre - half) * 100;
  const high = successes >= n ? 100 : Math.min(1, centre + half) * 100;
  return { low, high };
}
