/** Indices closer than this are a tie (guards against floating-point summation noise). */
export const RANK_TIE_EPSILON = 1e-9;

/**
 * Standard competition ranking ("1224") by index, highest first, separately within each
 * group. Returns one rank per input, in input order; `null` for a `null` index.
 */
export function rankUnits(units: readonly { group: string; index: number | null }[]): (number | null)[] {
  const ranks: (number | null)[] = units.map(() => null);
  const byGroup = new Map<string, number[]>();
  units.forEach((u, i) => {
    if (u.index === null) return;
    const list = byGroup.get(u.group) ?? [];
    list.push(i);
    byGroup.set(u.group, list);
  });
  for (const members of byGroup.values()) {
    members.sort((a, b) => units[b]!.index! - units[a]!.index!);
    members.forEach((unit, position) => {
      const previous = members[position - 1];
      const tied = previous !== undefined && Math.abs(units[previous]!.index! - units[unit]!.index!) <= RANK_TIE_EPSILON;
      ranks[unit] = tied ? ranks[previous]! : position + 1;
    });
  }
  return ranks;
}
