import type { Db } from '../db/prisma-client.js';
import { answerCell, type MicrodataColumn } from './microdata-columns.js';
import { neutralizeFormula } from './safe-text.js';
import { microdataPooling } from './microdata-pooling.js';

/** `test`: test data (simulator, invitations marked test) left out (default), exported too, or alone. */
export type MicrodataQuery = { questionnaireId: number; label: string; from?: string; to?: string; group?: string; minCell: number; test?: 'exclude' | 'include' | 'only' };

const BATCH = 500;
export const SUPPRESSED_UNIT = 'Đơn vị có ít phiếu (gộp)';

/**
 * Completed responses as anonymised rows, in batches (keyset over the random response
 * id, so memory stays flat and row order says nothing about time). Units the index report
 * would withhold are pooled under one label, without their group (see `microdataPooling`).
 */
export async function* microdataRows(db: Db, q: MicrodataQuery, columns: MicrodataColumn[]): AsyncGenerator<(string | number)[]> {
  // Counted responses only (a second response of the same person is kept but not counted).
  const inPeriod = {
    questionnaireId: q.questionnaireId,
    status: 'completed' as const,
    counted: true,
    unitId: { not: null },
    ...(q.test === 'include' ? {} : { isTest: q.test === 'only' }),
    ...(q.from || q.to ? { completedDay: { ...(q.from ? { gte: new Date(q.from) } : {}), ...(q.to ? { lte: new Date(q.to) } : {}) } } : {}),
  };
  const period = { ...inPeriod, ...(q.group ? { unit: { group: q.group } } : {}) };
  // Pooling is decided over every group, as the report's withheld cells are.
  const perUnit = await db.response.groupBy({ by: ['unitId'], where: inPeriod, _count: { _all: true } });
  const units = new Map((await db.unit.findMany({ select: { id: true, code: true, name: true, group: true } })).map((u) => [u.id, u]));
  const { pooled: pooledUnits, dropPooled } = microdataPooling(
    perUnit.map((u) => ({ id: u.unitId!, code: units.get(u.unitId!)?.code ?? '', group: units.get(u.unitId!)?.group ?? '', responses: u._count._all })),
    q.minCell,
    q.group ?? null,
  );
  const questionCodes = columns.filter((c) => c.question).map((c) => c.key);

  let after: string | undefined;
  for (;;) {
    const batch = await db.response.findMany({
      where: { ...period, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' },
      take: BATCH,
      select: { id: true, unitId: true, completedDay: true, source: true, qualityFlags: true, answers: { where: { questionCode: { in: questionCodes } }, select: { questionCode: true, status: true, score: true, value: true } } },
    });
    if (batch.length === 0) return;
    for (const r of batch) {
      const unit = units.get(r.unitId!);
      const pooled = pooledUnits.has(r.unitId!);
      if (pooled && dropPooled) continue;
      const byCode = new Map(r.answers.map((a) => [a.questionCode, a]));
      yield columns.map((c) => {
        switch (c.key) {
          case 'unit_code': return pooled ? '' : neutralizeFormula(unit?.code ?? '');
          case 'unit_name': return pooled ? SUPPRESSED_UNIT : neutralizeFormula(unit?.name ?? '');
          case 'unit_group': return pooled ? '' : neutralizeFormula(unit?.group ?? '');
          case 'questionnaire': return q.label;
          case 'completed_month': return r.completedDay ? r.completedDay.toISOString().slice(0, 7) : '';
          case 'source': return r.source;
          case 'quality_flags': return r.qualityFlags.join(';');
          default: {
            const a = byCode.get(c.key);
            return a ? answerCell(a.status, a.score, a.value) : '';
          }
        }
      });
    }
    after = batch.at(-1)!.id;
  }
}
