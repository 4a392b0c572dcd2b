export type SuppressionReason = 'low-sample' | 'complementary';

/**
 * Which units' breakdowns are withheld so that small cells cannot identify anyone.
 *
 * - Primary: a unit with fewer than `minCell` completed responses.
 * - Complementary: the pooled overall figures include every unit, so overall counts minus
 *   the published units' counts would reveal the withheld units' combined answers. When
 *   that residual is positive but below `minCell`, the smallest published units (fewest
 *   responses, then code) are withheld too until it reaches `minCell`.
 *   (If no unit is left to withhold, the overall total is itself below the minimum and
 *   the overall figures are withheld by the caller.)
 *
 * Differencing across reports (other periods or groups) is not guarded here.
 */
export function selectSuppressed(
  units: readonly { id: number; code: string; responses: number }[],
  minCell: number,
): Map<number, SuppressionReason> {
  const out = new Map<number, SuppressionReason>();
  let residual = 0;
  for (const u of units) {
    if (u.responses < minCell) {
      out.set(u.id, 'low-sample');
      residual += u.responses;
    }
  }
  const candidates = units
    .filter((u) => !out.has(u.id))
    .sort((a, b) => a.responses - b.responses || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  for (const u of candidates) {
    if (residual === 0 || residual >= minCell) break;
    out.set(u.id, 'complementary');
    residual += u.responses;
  }
  return out;
}
