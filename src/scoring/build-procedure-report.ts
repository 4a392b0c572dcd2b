import type { QuestionnaireDefinition } from '../questionnaire/definition-schema.js';
import { aggregationOf, modeOf } from '../questionnaire/survey-method.js';
import type { ReportUnitInfo } from './build-index-report.js';
import { addLikertCounts, emptyLikertCounts, type LikertCounts } from './count-types.js';
import type { ProcedureReport, ProcedureRow } from './procedure-report-schema.js';
import type { ReportFilters } from './report-schema.js';
import { scoreTree, withheldTree } from './score-tree.js';
import { selectSuppressed } from './select-suppressed.js';
import { NO_PROCEDURE, OVERALL, suppressProcedureTable, UNCLASSIFIED_FIELD, type ProcedureCell, type ScopeKey } from './suppress-procedure-table.js';

export const UNCLASSIFIED_LABEL = 'Chưa phân loại';
export const NO_PROCEDURE_LABEL = 'Không ghi thủ tục';

/** Likert counts of one procedure and criterion, summed over the scope's units. */
export type ProcedureCriterionRow = { procedure: string } & { criterionCode: string } & LikertCounts;

export type BuildProcedureReportInput = {
  definition: Pick<QuestionnaireDefinition, 'code' | 'version' | 'title' | 'index' | 'questions' | 'aggregation' | 'mode'>;
  /** Every unit (withheld cells are decided over all of them, as in the index report). */
  units: ReportUnitInfo[];
  /** Counted responses per unit and procedure, every unit. */
  cells: ProcedureCell[];
  /** Criterion counts per procedure of the scope only. */
  criteria: ProcedureCriterionRow[];
  /** The catalogue entries of the procedures in `cells`. */
  catalogue: ReadonlyMap<string, { name: string; field: string }>;
  /** The unit broken down, or `null` for every unit. */
  unitId: number | null;
  by: 'procedure' | 'field';
  period: { from: string | null; to: string | null; name: string | null };
  filters: ReportFilters;
  minCell: number;
  generatedAt: Date;
};

const collator = new Intl.Collator('vi');
/** Named entries first, by name (Vietnamese order), the unnamed one ("" key) last. */
const byKey = (a: string, b: string) => (a === '' ? 1 : 0) - (b === '' ? 1 : 0) || collator.compare(a, b);

/**
 * Pure: the index tree per procedure or per field of one scope, each cell scored from its
 * pooled answers (`scoreTree`), and withheld by `suppressProcedureTable` (the index report's
 * unit suppression first, then the same rules over procedures, fields and scopes).
 */
export function buildProcedureReport(input: BuildProcedureReportInput): ProcedureReport {
  const { definition: def, minCell } = input;
  const aggregation = aggregationOf(def);
  const fieldOf = (p: string) => (p === NO_PROCEDURE ? UNCLASSIFIED_FIELD : (input.catalogue.get(p)?.field ?? UNCLASSIFIED_FIELD));

  // The index report's decision on units and its overall block.
  const perUnit = new Map<number, number>();
  for (const c of input.cells) perUnit.set(c.unitId, (perUnit.get(c.unitId) ?? 0) + c.responses);
  const unitDecision = selectSuppressed(
    input.units.map((u) => ({ id: u.id, code: u.code, group: u.group, responses: perUnit.get(u.id) ?? 0 })),
    minCell,
  );
  const withheld = suppressProcedureTable({ cells: input.cells, fieldOf, withheldUnits: new Set(unitDecision.units.keys()), overallWithheld: unitDecision.overall, minCell });

  const scope: ScopeKey = input.unitId ?? OVERALL;
  const inScope = (c: ProcedureCell) => input.unitId === null || c.unitId === input.unitId;
  const keyOf = input.by === 'procedure' ? (p: string) => p : fieldOf;
  const responses = new Map<string, number>();
  for (const c of input.cells) if (inScope(c)) responses.set(keyOf(c.procedure), (responses.get(keyOf(c.procedure)) ?? 0) + c.responses);
  const criteria = new Map<string, Map<string, LikertCounts>>();
  const total = new Map<string, LikertCounts>();
  for (const row of input.criteria) {
    const key = keyOf(row.procedure);
    const own = criteria.get(key) ?? new Map<string, LikertCounts>();
    criteria.set(key, own);
    own.set(row.criterionCode, addLikertCounts(own.get(row.criterionCode) ?? emptyLikertCounts(), row));
    total.set(row.criterionCode, addLikertCounts(total.get(row.criterionCode) ?? emptyLikertCounts(), row));
  }

  const cell = (n: number, suppressed: boolean, counts: Map<string, LikertCounts> | undefined) => {
    if (suppressed) return { responses: null, index: null, ci: null, lowSample: n < minCell, suppressed, nodes: withheldTree(def.index) };
    return { responses: n, lowSample: n < minCell, suppressed, ...scoreTree(def.index, (code) => counts?.get(code), aggregation) };
  };

  // The same rows in every scope (what was answered anywhere in the period), so that a row's presence says nothing about one unit.
  const procedures = [...new Set(input.cells.filter((c) => c.responses > 0).map((c) => c.procedure))];
  const rows: ProcedureRow[] =
    input.by === 'procedure'
      ? procedures
          .sort((a, b) => byKey(fieldOf(a), fieldOf(b)) || byKey(a, b))
          .map((p) => {
            const field = fieldOf(p) || null;
            const name = p === NO_PROCEDURE ? NO_PROCEDURE_LABEL : (input.catalogue.get(p)?.name ?? p);
            return { code: p || null, name, field, ...cell(responses.get(p) ?? 0, withheld.procedure(scope, p), criteria.get(p)) };
          })
      : [...new Set(procedures.map(fieldOf))]
          .sort(byKey)
          .map((f) => ({ code: f || null, name: f || UNCLASSIFIED_LABEL, field: f || null, ...cell(responses.get(f) ?? 0, withheld.field(scope, f), criteria.get(f)) }));

  const unit = input.unitId === null ? null : input.units.find((u) => u.id === input.unitId)!;
  const scopeResponses = [...responses.values()].reduce((a, b) => a + b, 0);
  return {
    questionnaire: { code: def.code, version: def.version, title: def.title.vi },
    method: { mode: modeOf(def), aggregation, totals: 'pooled' },
    period: { from: input.period.from, to: input.period.to },
    periodName: input.period.name,
    unit: unit ? { code: unit.code, name: unit.name, group: unit.group } : null,
    by: input.by,
    filters: { ...input.filters, test: input.filters.test ?? 'exclude' },
    minCell,
    generatedAt: input.generatedAt.toISOString(),
    total: cell(scopeResponses, withheld.total(scope), total),
    rows,
  };
}
