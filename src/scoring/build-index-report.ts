import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { aggregationOf, modeOf } from '../questionnaire/survey-method.js';
import { addLikertCounts, emptyLikertCounts, type LikertCounts, type ScoringCounts } from './count-types.js';
import { optionQuestions } from './index-bindings.js';
import { optionShares, shareQuestions } from './option-shares.js';
import { rankUnits, type RankOn } from './rank-units.js';
import type { GroupReport, IndexReport, UnitReport } from './report-schema.js';
import { scoreTree, withheldTree } from './score-tree.js';
import { selectSuppressed } from './select-suppressed.js';
import { meanOfUnits, type TotalRule } from './unit-totals.js';

/** Default minimum number of completed responses for a unit's breakdown to be shown. */
export const DEFAULT_MIN_CELL = 5;

const collator = new Intl.Collator('vi');

export type ReportUnitInfo = { id: number; code: string; name: string; group: string };

export type BuildIndexReportInput = {
  definition: Pick<QuestionnaireDefinition, 'code' | 'version' | 'title' | 'basis' | 'index' | 'questions' | 'aggregation' | 'mode'>;
  /** Units to report (already limited to the group, if any); counts of other units are ignored. */
  units: ReportUnitInfo[];
  counts: ScoringCounts;
  period?: { from?: string | null; to?: string | null };
  group?: string | null;
  /** Minimum completed responses per reported cell (default 5). */
  minCell?: number;
  /** Group and overall totals: the mean of the published unit indices (default, as provinces publish) or pooled answers. */
  totals?: TotalRule;
  /** Rank on the indices as shown, to 2 decimals (default: what readers see ties as ties), or in full precision. */
  rankOn?: RankOn;
  generatedAt?: Date;
};

type Scope = { criteria: Map<string, LikertCounts>; options: Map<string, Map<string, number>>; responses: number };
const newScope = (): Scope => ({ criteria: new Map(), options: new Map(), responses: 0 });

function addCriterion(target: Scope, code: string, row: LikertCounts) {
  target.criteria.set(code, addLikertCounts(target.criteria.get(code) ?? emptyLikertCounts(), row));
}
function addOption(target: Scope, question: string, option: string, count: number) {
  let byOption = target.options.get(question);
  if (!byOption) target.options.set(question, (byOption = new Map()));
  byOption.set(option, (byOption.get(option) ?? 0) + count);
}

/**
 * Pure: turns counts into the index report. Each unit is scored from its own counts by
 * the definition's aggregation rules (`scoreTree`). Totals — per unit group and overall —
 * are the mean of the published units' indices (`totals: 'mean_of_units'`, the default,
 * as provinces publish "SIPAS trung bình") or are scored from all their answers pooled;
 * response counts and option shares are always pooled. Units are ranked within their
 * group (ties share a rank) and listed by group, rank (unranked last) and code. See
 * `selectSuppressed` for small-cell suppression.
 */
export function buildIndexReport(input: BuildIndexReportInput): IndexReport {
  const { definition: def, units } = input;
  const minCell = input.minCell ?? DEFAULT_MIN_CELL;
  const totals = input.totals ?? 'mean_of_units';
  const rankOn = input.rankOn ?? 'shown';
  const aggregation = aggregationOf(def);
  const groupOf = new Map(units.map((u) => [u.id, u.group]));
  const scopes = new Map(units.map((u) => [u.id, newScope()]));
  const groupScopes = new Map([...new Set(units.map((u) => u.group))].map((g) => [g, newScope()]));
  const pooled = newScope();
  const targets = (unitId: number) => {
    const own = scopes.get(unitId);
    return own ? [own, groupScopes.get(groupOf.get(unitId)!)!, pooled] : [];
  };
  for (const row of input.counts.responses) for (const t of targets(row.unitId)) t.responses += row.responses;
  for (const row of input.counts.criteria) for (const t of targets(row.unitId)) addCriterion(t, row.criterionCode, row);
  for (const row of input.counts.options) for (const t of targets(row.unitId)) addOption(t, row.questionCode, row.option, row.count);

  const questions = shareQuestions(optionQuestions(def));
  const score = (scope: Scope, suppressed: boolean) => {
    if (suppressed) return { index: null, ci: null, nodes: withheldTree(def.index), options: [] };
    return { ...scoreTree(def.index, (code) => scope.criteria.get(code), aggregation), options: optionShares(questions, scope.options) };
  };

  const withheld = selectSuppressed(
    units.map((u) => ({ id: u.id, code: u.code, responses: scopes.get(u.id)!.responses })),
    minCell,
  );
  const reported: UnitReport[] = units.map((u) => {
    const scope = scopes.get(u.id)!;
    const suppressed = withheld.has(u.id);
    return { code: u.code, name: u.name, group: u.group, responses: scope.responses, ...score(scope, suppressed), rank: null, lowSample: scope.responses < minCell, suppressed };
  });
  rankUnits(reported, rankOn).forEach((rank, i) => (reported[i]!.rank = rank));
  reported.sort(
    (a, b) =>
      collator.compare(a.group, b.group) ||
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );

  /** A total over `members` (units) whose answers are `scope`: withheld under the minimum cell. */
  const total = (scope: Scope, members: UnitReport[]) => {
    const low = scope.responses < minCell;
    const pooledScore = score(scope, low);
    if (low || totals === 'pooled') return { responses: scope.responses, lowSample: low, suppressed: low, ...pooledScore };
    const { index, ci, nodes } = meanOfUnits(def.index, members.filter((u) => !u.suppressed));
    return { responses: scope.responses, lowSample: low, suppressed: low, index, ci, nodes, options: pooledScore.options };
  };
  const groups: GroupReport[] = [...groupScopes.entries()]
    .sort(([a], [b]) => collator.compare(a, b))
    .map(([group, scope]) => {
      const { options: _options, ...rest } = total(scope, reported.filter((u) => u.group === group));
      return { group, ...rest };
    });

  return {
    questionnaire: { code: def.code, version: def.version, title: def.title.vi, ...(def.basis ? { basis: def.basis } : {}) },
    method: { mode: modeOf(def), aggregation, totals, rankOn },
    period: { from: input.period?.from ?? null, to: input.period?.to ?? null },
    group: input.group ?? null,
    minCell,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    overall: total(pooled, reported),
    groups,
    units: reported,
  };
}
