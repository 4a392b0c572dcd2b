import { selectSuppressed } from './select-suppressed.js';

/** "No procedure recorded" and "field unknown" (a code outside the catalogue), as keys. */
export const NO_PROCEDURE = '';
export const UNCLASSIFIED_FIELD = '';

/** Counted responses of one unit and procedure (`NO_PROCEDURE` when none was recorded). */
export type ProcedureCell = { unitId: number; procedure: string; responses: number };

/** Every scope: each unit by id, `OVERALL` for all units together. */
export const OVERALL = 'all';
export type ScopeKey = number | typeof OVERALL;

export type ProcedureTableInput = {
  cells: readonly ProcedureCell[];
  /** The field (lĩnh vực) of each procedure key; procedures absent here are `UNCLASSIFIED_FIELD`. */
  fieldOf: (procedure: string) => string;
  /** Units the index report withholds (their totals are unpublished: every one of their cells is withheld too). */
  withheldUnits: ReadonlySet<number>;
  /** The index report withholds its overall block. */
  overallWithheld: boolean;
  minCell: number;
};

/** Which cells of the unit × procedure table (and its field and scope totals) are withheld. */
export type ProcedureSuppression = {
  procedure: (scope: ScopeKey, procedure: string) => boolean;
  field: (scope: ScopeKey, field: string) => boolean;
  total: (scope: ScopeKey) => boolean;
};

const procKey = (s: ScopeKey, p: string) => `${s}\u0001p\u0001${p}`;
const fieldKey = (s: ScopeKey, f: string) => `${s}\u0001f\u0001${f}`;
const totalKey = (s: ScopeKey) => `${s}\u0001t`;

/** A published figure and the published-or-not figures it is the sum of. */
type Constraint = { total: string; parts: string[] };

/**
 * The small-cell rules of units (`selectSuppressed`) applied to the procedure breakdown,
 * decided once for every scope so that no two breakdowns (a unit's, the overall one, by
 * procedure or by field) can be differenced either:
 *
 * 1. A scope's total is published exactly when the index report publishes it (the unit's
 *    or the overall block); a withheld unit withholds every cell of its breakdown.
 * 2. Within each published scope, `selectSuppressed` with procedures in the role of units
 *    and fields in the role of unit groups (the scope is the overall block): primary
 *    suppression under `minCell`, complementary within fields and across them.
 * 3. Then, until nothing changes, every published sum — a scope's total over its fields and
 *    over its procedures, a field over its procedures, and across scopes a procedure's (or
 *    field's) overall cell over its units — minus its published parts must be 0, or hold at
 *    least `minCell` responses in cells of *published* units, spread over at least two
 *    cells (a single withheld part equals the sum minus the rest). A withheld cell a reader
 *    can work out from other sums counts as published, unless it is sensitive (under the
 *    minimum, or a withheld unit's): then the sum that would single it out breaks the rule.
 *    When a sum breaks it, its smallest published part is withheld; with none left, the
 *    sum one of its withheld parts is worked out from gives up a published cell so that the
 *    part is unknown again, or else its total is made unknown the same way. Every broken sum
 *    of a pass is fixed at once: cells withheld together cover each other.
 *
 * The guarantee is per published sum, and for sums nested in one another, as for units;
 * it is not a linear-programming audit of every combination of sums.
 *
 * Cells of withheld units must be covered by published units' cells, not by each other:
 * otherwise a procedure's residual across units could be subtracted from the index
 * report's residual of withheld units in a group. If the rules cannot be met by these
 * steps, every cell except the index report's published totals is withheld.
 */
export function suppressProcedureTable(input: ProcedureTableInput): ProcedureSuppression {
  const { minCell } = input;
  const value = new Map<string, number>();
  const add = (key: string, n: number) => value.set(key, (value.get(key) ?? 0) + n);
  const scopes = new Set<ScopeKey>([OVERALL]);
  for (const c of input.cells) {
    if (c.responses <= 0) continue;
    const field = input.fieldOf(c.procedure);
    scopes.add(c.unitId);
    for (const s of [c.unitId, OVERALL] as ScopeKey[]) {
      add(procKey(s, c.procedure), c.responses);
      add(fieldKey(s, field), c.responses);
      add(totalKey(s), c.responses);
    }
  }
  const scopeWithheld = (s: ScopeKey) => (s === OVERALL ? input.overallWithheld : input.withheldUnits.has(s));
  /** Scope totals are the index report's: fixed, published or not. */
  const fixed = new Set([...scopes].map(totalKey));
  /** Cells of withheld units: withheld whatever happens, and never counted as covering a residual. */
  const pinned = new Set<string>();
  const withheld = new Set<string>();

  // Parts per scope, and the sums they make (only cells with responses: an empty cell is known to be 0).
  const constraints: Constraint[] = [];
  const procsOf = new Map<ScopeKey, string[]>();
  const fieldsOf = new Map<ScopeKey, Map<string, string[]>>();
  for (const key of value.keys()) {
    const [scopeText, kind, name] = key.split('\u0001') as [string, string, string | undefined];
    const s: ScopeKey = scopeText === OVERALL ? OVERALL : Number(scopeText);
    if (kind !== 'p') continue;
    procsOf.set(s, [...(procsOf.get(s) ?? []), name!]);
    const byField = fieldsOf.get(s) ?? new Map<string, string[]>();
    fieldsOf.set(s, byField);
    const f = input.fieldOf(name!);
    byField.set(f, [...(byField.get(f) ?? []), name!]);
  }
  for (const s of scopes) {
    const procs = procsOf.get(s) ?? [];
    const byField = fieldsOf.get(s) ?? new Map<string, string[]>();
    constraints.push({ total: totalKey(s), parts: procs.map((p) => procKey(s, p)) });
    constraints.push({ total: totalKey(s), parts: [...byField.keys()].map((f) => fieldKey(s, f)) });
    for (const [f, members] of byField) constraints.push({ total: fieldKey(s, f), parts: members.map((p) => procKey(s, p)) });
  }
  const units = [...scopes].filter((s): s is number => s !== OVERALL);
  for (const p of procsOf.get(OVERALL) ?? []) constraints.push({ total: procKey(OVERALL, p), parts: units.map((u) => procKey(u, p)).filter((k) => value.has(k)) });
  for (const f of fieldsOf.get(OVERALL)?.keys() ?? []) constraints.push({ total: fieldKey(OVERALL, f), parts: units.map((u) => fieldKey(u, f)).filter((k) => value.has(k)) });

  // Rules 1 and 2.
  for (const s of scopes) {
    if (scopeWithheld(s)) {
      withheld.add(totalKey(s));
      for (const key of value.keys()) {
        if (!key.startsWith(`${s}\u0001`)) continue;
        withheld.add(key);
        pinned.add(key);
      }
      continue;
    }
    const procs = procsOf.get(s) ?? [];
    const chosen = selectSuppressed(
      procs.map((p, id) => ({ id, code: p, group: input.fieldOf(p), responses: value.get(procKey(s, p))! })),
      minCell,
    );
    for (const id of chosen.units.keys()) withheld.add(procKey(s, procs[id]!));
    for (const f of chosen.groups.keys()) withheld.add(fieldKey(s, f));
  }

  // Rule 3.
  const responses = (key: string) => value.get(key) ?? 0;
  const smallestPublished = (keys: readonly string[]) =>
    keys.filter((k) => !withheld.has(k) && !fixed.has(k)).sort((a, b) => responses(a) - responses(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
  const partOf = new Map<string, Constraint[]>();
  for (const c of constraints) for (const p of c.parts) partOf.set(p, [...(partOf.get(p) ?? []), c]);

  /** A cell that must stay unknown: under the minimum, or of a withheld unit. Any other withheld cell may be worked out. */
  const sensitive = (key: string) => pinned.has(key) || responses(key) < minCell;
  /** What a reader knows: published cells, and what follows from them (short of sensitive cells, which the checks below protect). */
  const derivable = () => {
    const known = new Set([...value.keys()].filter((k) => !withheld.has(k)));
    for (let grew = true; grew; ) {
      grew = false;
      for (const c of constraints) {
        const open = c.parts.filter((p) => !known.has(p));
        const learnt = known.has(c.total) ? (open.length === 1 ? open[0] : undefined) : open.length === 0 && c.parts.length > 0 ? c.total : undefined;
        if (learnt !== undefined && !sensitive(learnt)) {
          known.add(learnt);
          grew = true;
        }
      }
    }
    return known;
  };

  const totalOf = new Map<string, Constraint[]>();
  for (const c of constraints) totalOf.set(c.total, [...(totalOf.get(c.total) ?? []), c]);
  /** A published cell whose withholding stops `key` from being worked out (the cell itself when published), if any. */
  const breakDerivation = (key: string, known: Set<string>, seen = new Set<string>()): string | undefined => {
    if (seen.has(key)) return undefined;
    seen.add(key);
    if (!withheld.has(key)) return fixed.has(key) ? undefined : key;
    // Worked out as the last unknown part of a known sum, or as the sum of known parts.
    const sources = [
      ...(partOf.get(key) ?? []).filter((d) => known.has(d.total) && d.parts.every((p) => p === key || known.has(p))).map((d) => [d.total, ...d.parts.filter((p) => p !== key)]),
      ...(totalOf.get(key) ?? []).filter((d) => d.parts.length > 0 && d.parts.every((p) => known.has(p))).map((d) => d.parts),
    ];
    for (const keys of sources) {
      const direct = smallestPublished(keys);
      if (direct !== undefined) return direct;
    }
    for (const keys of sources) {
      for (const k of keys) {
        const deeper = withheld.has(k) && known.has(k) ? breakDerivation(k, known, seen) : undefined;
        if (deeper !== undefined) return deeper;
      }
    }
    return undefined;
  };

  let settled = false;
  let stuck = false;
  for (let pass = 0; pass < 10_000 && !settled && !stuck; pass++) {
    const known = derivable();
    let changed = false;
    for (const c of constraints) {
      if (!known.has(c.total)) continue;
      const open = c.parts.filter((p) => !known.has(p));
      const covering = open.filter((p) => !pinned.has(p)).reduce((n, p) => n + responses(p), 0);
      if (open.length === 0 || covering >= minCell) continue;
      // The smallest published part goes; with none left, a withheld part worked out from another sum is made unknown again, or else the total.
      const more =
        smallestPublished(c.parts) ??
        c.parts.filter((p) => withheld.has(p) && known.has(p)).map((p) => breakDerivation(p, known)).find((k) => k !== undefined) ??
        breakDerivation(c.total, known);
      if (more === undefined) {
        stuck = true;
        break;
      }
      withheld.add(more);
      changed = true;
    }
    settled = !changed;
  }
  if (!settled || stuck) for (const key of value.keys()) if (!fixed.has(key)) withheld.add(key);

  // Cells without responses are below any minimum.
  return {
    procedure: (s, p) => scopeWithheld(s) || !value.has(procKey(s, p)) || withheld.has(procKey(s, p)),
    field: (s, f) => scopeWithheld(s) || !value.has(fieldKey(s, f)) || withheld.has(fieldKey(s, f)),
    total: (s) => scopeWithheld(s) || !value.has(totalKey(s)),
  };
}
