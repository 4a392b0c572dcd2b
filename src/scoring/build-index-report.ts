import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { addLikertCounts, emptyLikertCounts, type LikertCounts, type ScoringCounts } from './count-types.js';
import { optionQuestions } from './index-bindings.js';
import { optionShares, shareQuestions } from './option-shares.js';
import { rankUnits } from './rank-units.js';
import type { IndexReport, UnitReport } from './report-schema.js';
import { scoreTree, withheldTree } from './score-tree.js';
import { selectSuppressed } from './select-suppressed.js';

/** Default minimum number of completed responses for a unit's breakdown to be shown. */
export const DEFAULT_MIN_CELL = 5;

const collator = new Intl.Collator('vi');

export type ReportUnitInfo = { id: number; code: string; name: string; group: string };

export type BuildIndexReportInput = {
  definition: Pick<QuestionnaireDefinition, 'code' | 'version' | 'title' | 'basis' | 'index' | 'questions'>;
  /** Units to report (already limited to the group, if any); counts of other units are ignored. */
  units: ReportUnitInfo[];
  counts: ScoringCounts;
  period?: { from?: string | null; to?: string | null };
  group?: string | null;
  /** Minimum completed responses per reported cell (default 5). */
  minCell?: number;
  generatedAt?: Date;
};

type Scope = { criteria: Map<string, LikertCounts>; options: Map<string, Map<string, number>>; responses: number };
const newScope = (): Scope => ({ criteria: new Map(), options: new Map(), responses: 0 });

/**
 * Pure: turns counts into the index report. Each unit is scored from its own counts;
 * `overall` from the counts pooled over all reported units (then the same formulas,
 * not a mean of unit indices). Units are ranked within their group and listed by group,
 * rank (unranked last) and code. See `scoreTree` for formulas and intervals and
 * `selectSuppressed` for small-cell suppression.
 */
export function buildIndexReport(input: BuildIndexReportInput): IndexReport {
  const { definition: def, units } = input;
  const minCell = input.minCell ?? DEFAULT_MIN_CELL;
  const scopes = new Map(units.map((u) => [u.id, newScope()]));
  const pooled = newScope();
  for (const row of input.counts.responses) {
    const s = scopes.get(row.unitId);
    if (!s) continue;
    s.responses += row.responses;
    pooled.responses += row.responses;
  }
  for (const row of input.counts.criteria) {
    const s = scopes.get(row.unitId);
    if (!s) continue;
    for (const target of [s, pooled]) {
      const c = target.criteria.get(row.criterionCode) ?? emptyLikertCounts();
      target.criteria.set(row.criterionCode, addLikertCounts(c, row));
    }
  }
  for (const row of input.counts.options) {
    const s = scopes.get(row.unitId);
    if (!s) continue;
    for (const target of [s, pooled]) {
      let byOption = target.options.get(row.questionCode);
      if (!byOption) target.options.set(row.questionCode, (byOption = new Map()));
      byOption.set(row.option, (byOption.get(row.option) ?? 0) + row.count);
    }
  }

  const questions = shareQuestions(optionQuestions(def));
  const score = (scope: Scope, suppressed: boolean) => {
    if (suppressed) return { index: null, ci: null, nodes: withheldTree(def.index), options: [] };
    const tree = scoreTree(def.index, (code) => scope.criteria.get(code));
    return { ...tree, options: optionShares(questions, scope.options) };
  };

  const withheld = selectSuppressed(
    units.map((u) => ({ id: u.id, code: u.code, responses: scopes.get(u.id)!.responses })),
    minCell,
  );
  const reported: UnitReport[] = units.map((u) => {
    const scope = scopes.get(u.id)!;
    const suppressed = withheld.has(u.id);
    const { index, ci, nodes, options } = score(scope, suppressed);
    return {
      code: u.code,
      name: u.name,
      group: u.group,
      responses: scope.responses,
      index,
      ci,
      rank: null,
      lowSample: scope.responses < minCell,
      suppressed,
      nodes,
      options,
    };
  });
  rankUnits(reported).forEach((rank, i) => (reported[i]!.rank = rank));
  reported.sort(
    (a, b) =>
      collator.compare(a.group, b.group) ||
      (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );

  const overallLow = pooled.responses < minCell;
  return {
    questionnaire: { code: def.code, version: def.version, title: def.title.vi, ...(def.basis ? { basis: def.basis } : {}) },
    period: { from: input.period?.from ?? null, to: input.period?.to ?? null },
    group: input.group ?? null,
    minCell,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    overall: { responses: pooled.responses, lowSample: overallLow, suppressed: overallLow, ...score(pooled, overallLow) },
    units: reported,
  };
}
