import type { Db } from '../db/prisma-client.js';
import type { StoredQuestionnaire } from '../questionnaire/questionnaire-catalog.js';
import { buildProcedureReport } from '../scoring/build-procedure-report.js';
import type { CountScope } from '../scoring/count-types.js';
import { loadProcedureCells, loadProcedureCriteria } from '../scoring/load-procedure-counts.js';
import type { ProcedureReport } from '../scoring/procedure-report-schema.js';
import type { ReportFilters } from '../scoring/report-schema.js';
import { segmentsFor } from '../scoring/rollup-keys.js';
import { proceduresByCode } from './procedure-catalogue.js';

export type ProcedureReportQuery = {
  questionnaire: Pick<StoredQuestionnaire, 'id' | 'definition'>;
  from: string | null;
  to: string | null;
  periodName: string | null;
  /** The unit broken down (its id), or `null` for every unit. */
  unitId: number | null;
  by: 'procedure' | 'field';
  filters: ReportFilters;
  minCell: number;
  generatedAt: Date;
};

/** Reads the raw counts, the units and the catalogue entries, and builds the per-procedure breakdown. */
export async function loadProcedureReport(db: Db, q: ProcedureReportQuery): Promise<ProcedureReport> {
  const scope: CountScope = { questionnaireId: q.questionnaire.id, from: q.from, to: q.to, segments: segmentsFor(q.filters.source, q.filters.quality, q.filters.test) };
  const [cells, criteria, units] = await Promise.all([
    loadProcedureCells(db, scope),
    loadProcedureCriteria(db, scope, q.unitId, q.questionnaire.definition),
    db.unit.findMany({ select: { id: true, code: true, name: true, group: true } }),
  ]);
  const catalogue = await proceduresByCode(db, [...new Set(cells.map((c) => c.procedure))]);
  return buildProcedureReport({
    definition: q.questionnaire.definition,
    units,
    cells,
    criteria,
    catalogue,
    unitId: q.unitId,
    by: q.by,
    period: { from: q.from, to: q.to, name: q.periodName },
    filters: q.filters,
    minCell: q.minCell,
    generatedAt: q.generatedAt,
  });
}
