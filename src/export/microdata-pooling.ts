import { selectSuppressed } from '../scoring/select-suppressed.js';

export type UnitResponses = { id: number; code: string; responses: number };

/**
 * Which units' microdata rows lose their unit (code, name and group) and are pooled under
 * one label: the units the index report of the same scope withholds (`selectSuppressed`:
 * below the minimum cell, plus the smallest others until the pooled responses reach it),
 * so the pool never holds one unit's rows alone and the report's published counts cannot
 * single them out. When even the pool stays below the minimum cell (every unit in scope is
 * small), its rows are left out altogether (`dropPooled`).
 */
export function microdataPooling(units: readonly UnitResponses[], minCell: number): { pooled: Set<number>; dropPooled: boolean } {
  const withheld = selectSuppressed(units, minCell);
  const pooledResponses = units.filter((u) => withheld.has(u.id)).reduce((sum, u) => sum + u.responses, 0);
  return { pooled: new Set(withheld.keys()), dropPooled: pooledResponses > 0 && pooledResponses < minCell };
}
