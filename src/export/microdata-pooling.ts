import { selectSuppressed, type SuppressionUnit } from '../scoring/select-suppressed.js';

/**
 * Which units' microdata rows lose their unit (code, name and group) and are pooled under
 * one label: exactly the units the index report withholds, decided over the whole
 * hierarchy (`selectSuppressed`), so the pool never holds fewer than the minimum cell.
 * An export limited to one group leaves pooled rows out (`dropPooled`): the full export
 * minus the group exports would otherwise single out the pooled rows of withheld groups.
 * So does an export whose pool stays below the minimum cell (every unit in scope small).
 */
export function microdataPooling(units: readonly SuppressionUnit[], minCell: number, group: string | null = null): { pooled: Set<number>; dropPooled: boolean } {
  const withheld = selectSuppressed(units, minCell);
  const pooledResponses = units.filter((u) => withheld.units.has(u.id)).reduce((sum, u) => sum + u.responses, 0);
  return { pooled: new Set(withheld.units.keys()), dropPooled: group !== null || (pooledResponses > 0 && pooledResponses < minCell) };
}
