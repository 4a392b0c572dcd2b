/** Indices closer than this are a tie (guards against floating-point summation noise). */
export const RANK_TIE_EPSILON = 1e-9;

/** Rank on the index as a reader sees it (2 decimals: 90.294 and 90.286 both show 90.29 and tie) or in full precision. */
export type RankOn = 'shown' | 'full';

/**
 * An index as published: 2 decimals, half up on its decimal value (83.965 shows 83.97, as
 * a spreadsheet shows it; the binary 83.96499… must not show 83.96).
 */
export const shownIndex = (index: number): number => Math.round(Number((index * 100).toPrecision(12))) / 100;

/** The value ranks compare: provinces publish 2 decimals, so equal shown values share a rank by default. */
export const rankValue = (index: number, on: RankOn): number => (on === 'shown' ? shownIndex(index) : index);

/**
 * Standard competition ranking ("1224") by index, highest first, separately within each
 * group. Returns one rank per input, in input order; `null` for a `null` index.
 */
export function rankUnits(units: readonly { group: string; index: number | null }[], on: RankOn = 'full'): (number | null)[] {
  const ranks: (number | null)[] = units.map(() => null);
  const byGroup = new Map<string, number[]>();
  units.forEach((u, i) => {
    if (u.index === null) return;
    const list = byGroup.get(u.group) ?? [];
    list.push(i);
    byGroup.set(u.group, list);
  });
  for (const members of byGroup.values()) {
    const value = (i: number) => rankValue(units[i]!.index!, on);
    members.sort((a, b) => value(b) - value(a));
    members.forEach((unit, position) => {
      const previous = members[position - 1];
      const tied = previous !== undefined && Math.abs(value(previous) - value(unit)) <= RANK_TIE_EPSILON;
      ranks[unit] = tied ? ranks[previous]! : position + 1;
    });
  }
  return ranks;
}
