export type SuppressionReason = 'low-sample' | 'complementary';

export type SuppressionUnit = { id: number; code: string; group: string; responses: number };

export type Suppression = {
  /** Withheld units and why. */
  units: Map<number, SuppressionReason>;
  /** Withheld unit groups and why. */
  groups: Map<string, SuppressionReason>;
  /** The overall block is withheld (fewer responses than the minimum cell in all). */
  overall: boolean;
};

const byResponsesThenCode = <T extends { responses: number; code: string }>(a: T, b: T) =>
  a.responses - b.responses || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * Which cells of the hierarchy overall → unit group → unit are withheld so that no
 * subtraction of published figures isolates fewer than `minCell` responses. Every
 * published figure (counts, option shares, pooled scores) is a sum over units, so what a
 * reader can derive is, for each published aggregate, the sum over its withheld units;
 * each such residual must be 0 or at least `minCell`:
 *
 * 1. Primary: a unit, group or the overall with fewer than `minCell` responses.
 * 2. Within each published group, while its withheld units hold 1…minCell−1 responses,
 *    the group's smallest published unit is withheld too.
 * 3. Overall minus the published groups gives the withheld units of the withheld groups
 *    together; while that holds 1…minCell−1 responses, the smallest published group that
 *    already withholds units is withheld (adding at least `minCell`), or else the smallest
 *    published group is withheld together with its smallest units until it suffices.
 *
 * The decision is made once for the whole hierarchy: a report limited to one group shows
 * exactly the cells the full report shows, so the two cannot be differenced either.
 */
export function selectSuppressed(units: readonly SuppressionUnit[], minCell: number): Suppression {
  const out: Suppression = { units: new Map(), groups: new Map(), overall: false };
  const groups = new Map<string, SuppressionUnit[]>();
  for (const u of units) groups.set(u.group, [...(groups.get(u.group) ?? []), u]);
  const total = (members: readonly SuppressionUnit[]) => members.reduce((sum, u) => sum + u.responses, 0);
  const withheldIn = (members: readonly SuppressionUnit[]) => total(members.filter((u) => out.units.has(u.id)));
  const residualLow = (r: number) => r > 0 && r < minCell;

  for (const u of units) if (u.responses < minCell) out.units.set(u.id, 'low-sample');
  for (const [group, members] of groups) if (total(members) < minCell) out.groups.set(group, 'low-sample');
  out.overall = total(units) < minCell;

  /** Withholds the smallest published units of `members` until `enough` holds. */
  const withholdUntil = (members: readonly SuppressionUnit[], enough: () => boolean) => {
    for (const u of members.filter((m) => !out.units.has(m.id)).sort(byResponsesThenCode)) {
      if (enough()) return;
      out.units.set(u.id, 'complementary');
    }
  };
  for (const [group, members] of groups) {
    if (!out.groups.has(group)) withholdUntil(members, () => !residualLow(withheldIn(members)));
  }

  if (out.overall) return out;
  const behindWithheldGroups = () => total([...groups].filter(([g]) => out.groups.has(g)).flatMap(([, m]) => m.filter((u) => out.units.has(u.id))));
  while (residualLow(behindWithheldGroups())) {
    const published = [...groups]
      .filter(([g]) => !out.groups.has(g))
      .map(([group, members]) => ({ group, members, code: group, responses: total(members), withheld: withheldIn(members) }))
      .sort(byResponsesThenCode);
    const next = published.find((g) => g.withheld > 0) ?? published[0];
    if (!next) {
      // Every group withheld: overall minus the published units must not single anyone out.
      withholdUntil(units, () => !residualLow(behindWithheldGroups()));
      break;
    }
    out.groups.set(next.group, 'complementary');
    withholdUntil(next.members, () => !residualLow(behindWithheldGroups()));
  }
  return out;
}
