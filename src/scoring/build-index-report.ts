import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { aggregationOf, modeOf } from '../questionnaire/survey-method.js';
import { addLikertCounts, emptyLikertCounts, type LikertCounts, type ScoringCounts } from './count-types.js';
import { optionQuestions } from './index-bindings.js';
import { optionShares, shareQuestions } from './option-shares.js';
import { rankUnits, type RankOn } from './rank-units.js';
import { romanNumeral } from './roman-numeral.js';
import type { GroupReport, IndexReport, ReportFilters, UnitReport } from './report-schema.js';
import { SEGMENT_FLAGGED, SEGMENT_INVITED, segmentsFor, testAllowed } from './rollup-keys.js';
import { scoreTree, withheldTree } from './score-tree.js';
import { selectSuppressed } from './select-suppressed.js';
import { meanOfUnits, type TotalRule } from './unit-totals.js';

/** Default minimum number of completed responses for a unit's breakdown to be shown. */
export const DEFAULT_MIN_CELL = 5;

const collator = new Intl.Collator('vi');

export type ReportUnitInfo = { id: number; code: string; name: string; group: string };
/** A unit group as configured (table `unit_groups`); groups units carry but not listed here get label = code, order 0. */
export type ReportGroupInfo = { code: string; label: string; order: number; rankSeparately: boolean };

export type BuildIndexReportInput = {
  definition: Pick<QuestionnaireDefinition, 'code' | 'version' | 'title' | 'basis' | 'index' | 'questions' | 'aggregation' | 'mode'>;
  /**
   * Every unit of the hierarchy (all groups): withheld cells are decided over all of them,
   * so that a report limited to `group` shows exactly what the full report shows.
   */
  units: ReportUnitInfo[];
  /** Labels, order and ranking rule of the unit groups (default: none, i.e. label = code, order 0, ranked province-wide). */
  groups?: ReportGroupInfo[];
  /** The province the report is about (config `PROVINCE_NAME`), for titles. */
  province?: string | null;
  /** Criterion and option counts of the units reported (those of `group`); `segments` of every unit. */
  counts: ScoringCounts;
  period?: { from?: string | null; to?: string | null; name?: string | null };
  /** Limit the units, groups and overall shown to this group (the overall block is then the group's cell). */
  group?: string | null;
  /** Which responses count (default: every source, flagged ones included). */
  filters?: ReportFilters;
  /** Minimum completed responses per reported cell (default 5). */
  minCell?: number;
  /** Group and overall totals: the mean of the published unit indices (default, as provinces publish) or pooled answers. */
  totals?: TotalRule;
  /** Rank on the indices as shown, to 2 decimals (default: what readers see ties as ties), or in full precision. */
  rankOn?: RankOn;
  generatedAt?: Date;
};

type Scope = { criteria: Map<string, LikertCounts>; options: Map<string, Map<string, number>> };
const newScope = (): Scope => ({ criteria: new Map(), options: new Map() });

function addCriterion(target: Scope, code: string, row: LikertCounts) {
  target.criteria.set(code, addLikertCounts(target.criteria.get(code) ?? emptyLikertCounts(), row));
}
function addOption(target: Scope, question: string, option: string, count: number) {
  let byOption = target.options.get(question);
  if (!byOption) target.options.set(question, (byOption = new Map()));
  byOption.set(option, (byOption.get(option) ?? 0) + count);
}

/** A cell's response counts: those counted, by source, flagged, and those the filters leave out. */
type Tally = { responses: number; invited: number; open: number; flagged: number; excludedFlagged: number; excludedSource: number };
const newTally = (): Tally => ({ responses: 0, invited: 0, open: 0, flagged: 0, excludedFlagged: 0, excludedSource: 0 });
function addTally(into: Tally, add: Tally) {
  for (const k of Object.keys(into) as (keyof Tally)[]) into[k] += add[k];
}

/** Tallies per unit from the segment counts (or, for callers that give none, all `responses` as open and unflagged). */
function tallies(counts: ScoringCounts, filters: ReportFilters): Map<number, Tally> {
  const out = new Map<number, Tally>();
  const counted = new Set(segmentsFor(filters.source, filters.quality, filters.test));
  const sourceOk = new Set(segmentsFor(filters.source, 'include', filters.test));
  const qualityOk = new Set(segmentsFor('all', filters.quality, filters.test));
  const rows = counts.segments ?? counts.responses.map((r) => ({ ...r, segment: 0 }));
  for (const { unitId, segment, responses } of rows) {
    // Test data left out is in no tally at all (not even "excluded"): it is not part of the survey.
    if (!testAllowed(segment, filters.test)) continue;
    let t = out.get(unitId);
    if (!t) out.set(unitId, (t = newTally()));
    if (counted.has(segment)) t.responses += responses;
    if (qualityOk.has(segment)) t[segment & SEGMENT_INVITED ? 'invited' : 'open'] += responses;
    if (sourceOk.has(segment) && segment & SEGMENT_FLAGGED) t.flagged += responses;
    if (sourceOk.has(segment) && !qualityOk.has(segment)) t.excludedFlagged += responses;
    if (!sourceOk.has(segment)) t.excludedSource += responses;
  }
  return out;
}

/** What a cell publishes about its responses: everything, or nothing when withheld. */
const cellCounts = (t: Tally, withheld: boolean) =>
  withheld
    ? { responses: null, bySource: null, flagged: null }
    : { responses: t.responses, bySource: { invited: t.invited, open: t.open }, flagged: t.flagged };

/**
 * Pure: turns counts into the index report. Each unit is scored from its own counts by
 * the definition's aggregation rules (`scoreTree`). Totals — per unit group and overall —
 * are the mean of the published units' indices (`totals: 'mean_of_units'`, the default,
 * as provinces publish "SIPAS trung bình") or are scored from all their answers pooled;
 * response counts and option shares are always pooled. Units are ranked within their
 * group (ties share a rank) and, outside separately ranked groups, province-wide
 * (`overallRank`). Groups are listed by `order` (then code) and numbered as sections;
 * units by their group's order, rank (unranked last), name and code. Withheld
 * cells are decided over the whole hierarchy by `selectSuppressed`, and publish nothing.
 */
export function buildIndexReport(input: BuildIndexReportInput): IndexReport {
  const { definition: def } = input;
  const minCell = input.minCell ?? DEFAULT_MIN_CELL;
  const totals = input.totals ?? 'mean_of_units';
  const rankOn = input.rankOn ?? 'shown';
  const filters = input.filters ?? { source: 'all', quality: 'include' };
  const group = input.group ?? null;
  const aggregation = aggregationOf(def);

  const unitTallies = tallies(input.counts, filters);
  const tallyOf = (id: number) => unitTallies.get(id) ?? newTally();
  const withheld = selectSuppressed(
    input.units.map((u) => ({ id: u.id, code: u.code, group: u.group, responses: tallyOf(u.id).responses })),
    minCell,
  );
  const units = group === null ? input.units : input.units.filter((u) => u.group === group);

  const configured = new Map((input.groups ?? []).map((g) => [g.code, g]));
  const groupInfo = (code: string): ReportGroupInfo => configured.get(code) ?? { code, label: code, order: 0, rankSeparately: false };
  const byGroupOrder = (a: string, b: string) => groupInfo(a).order - groupInfo(b).order || collator.compare(a, b);
  // Sections are numbered over the groups of the unfiltered report, so a report limited to a group keeps its section.
  const sectionOf = new Map([...new Set(input.units.map((u) => u.group))].sort(byGroupOrder).map((g, i) => [g, romanNumeral(i + 1)]));

  const groupOf = new Map(units.map((u) => [u.id, u.group]));
  const scopes = new Map(units.map((u) => [u.id, newScope()]));
  const groupNames = [...new Set(units.map((u) => u.group))].sort(byGroupOrder);
  const groupScopes = new Map(groupNames.map((g) => [g, newScope()]));
  const groupTallies = new Map(groupNames.map((g) => [g, newTally()]));
  const pooled = newScope();
  const pooledTally = newTally();
  for (const u of units) {
    addTally(groupTallies.get(u.group)!, tallyOf(u.id));
    addTally(pooledTally, tallyOf(u.id));
  }
  const targets = (unitId: number) => {
    const own = scopes.get(unitId);
    return own ? [own, groupScopes.get(groupOf.get(unitId)!)!, pooled] : [];
  };
  for (const row of input.counts.criteria) for (const t of targets(row.unitId)) addCriterion(t, row.criterionCode, row);
  for (const row of input.counts.options) for (const t of targets(row.unitId)) addOption(t, row.questionCode, row.option, row.count);

  const questions = shareQuestions(optionQuestions(def));
  const score = (scope: Scope, suppressed: boolean) => {
    if (suppressed) return { index: null, ci: null, nodes: withheldTree(def.index), options: [] };
    return { ...scoreTree(def.index, (code) => scope.criteria.get(code), aggregation), options: optionShares(questions, scope.options) };
  };

  const reported: UnitReport[] = units.map((u) => {
    const tally = tallyOf(u.id);
    const suppressed = withheld.units.has(u.id);
    return { code: u.code, name: u.name, group: u.group, ...cellCounts(tally, suppressed), ...score(scopes.get(u.id)!, suppressed), rank: null, overallRank: null, lowSample: tally.responses < minCell, suppressed };
  });
  rankUnits(reported, rankOn).forEach((rank, i) => (reported[i]!.rank = rank));
  // The province-wide rank leaves out separately ranked groups (branch offices). A report limited
  // to a group lacks the other groups' indices, so it gives no province-wide rank at all.
  if (group === null) {
    const ranked = reported.filter((u) => !groupInfo(u.group).rankSeparately);
    rankUnits(ranked.map((u) => ({ group: '', index: u.index })), rankOn).forEach((rank, i) => (ranked[i]!.overallRank = rank));
  }
  reported.sort(
    (a, b) =>
      byGroupOrder(a.group, b.group) ||
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      collator.compare(a.name, b.name) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );

  /** A total over `members` (units) whose answers are `scope`. */
  const total = (scope: Scope, tally: Tally, suppressed: boolean, members: UnitReport[]) => {
    const low = tally.responses < minCell;
    const pooledScore = score(scope, suppressed);
    const counts = { ...cellCounts(tally, suppressed), lowSample: low, suppressed };
    if (suppressed || totals === 'pooled') return { ...counts, ...pooledScore };
    const { index, ci, nodes } = meanOfUnits(def.index, members.filter((u) => !u.suppressed));
    return { ...counts, index, ci, nodes, options: pooledScore.options };
  };
  const groups: GroupReport[] = groupNames.map((name) => {
    const { options: _options, ...rest } = total(groupScopes.get(name)!, groupTallies.get(name)!, withheld.groups.has(name), reported.filter((u) => u.group === name));
    const { label, order, rankSeparately } = groupInfo(name);
    return { group: name, label, order, section: sectionOf.get(name)!, rankSeparately, ...rest };
  });
  // Limited to a group, the overall block is that group's cell, withheld exactly as in the full report.
  const overallWithheld = group === null ? withheld.overall : withheld.groups.has(group) || !groupNames.includes(group);

  return {
    questionnaire: { code: def.code, version: def.version, title: def.title.vi, ...(def.basis ? { basis: def.basis } : {}) },
    method: { mode: modeOf(def), aggregation, totals, rankOn },
    period: { from: input.period?.from ?? null, to: input.period?.to ?? null },
    periodName: input.period?.name ?? null,
    group,
    province: input.province ?? null,
    filters: { ...filters, test: filters.test ?? 'exclude' },
    excluded: overallWithheld ? null : { flagged: pooledTally.excludedFlagged, otherSource: pooledTally.excludedSource },
    minCell,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    overall: total(pooled, pooledTally, overallWithheld, reported),
    groups,
    units: reported,
  };
}
