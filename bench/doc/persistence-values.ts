import type { PersistenceResult } from '../persistence/bench-persistence.js';
import type { Values } from './fill-template.js';
import { mib, ms, n0, n1, n2, pct, profileValues, rows, verdictAtLeast } from './format.js';
import { TARGET } from './targets.js';

/**
 * Everything docs/BENCHMARKS.md says about the persistence benchmark. `viaService`: the
 * backlog was built through the product's conversation service (results of schema 2).
 */
export function persistenceValues(p: PersistenceResult, viaService: boolean): Values {
  const w = p.worker;
  const runs = p.workerRuns?.length ? p.workerRuns : [w];
  // The results file holds copies: find the median run by its figures.
  const medianAt = runs.findIndex((x) => x.answersPerSecond === w.answersPerSecond && x.drainMs === w.drainMs);
  const b = p.baseline;
  const r = p.rollups;
  const cpuPerAnswerMs = ((w.workerCpuSeconds + w.serviceCpuSeconds.postgres + w.serviceCpuSeconds.redis) / Math.max(1, w.storedAnswers)) * 1000;
  const cells = [
    ...runs.map((x, i) => [
      runs.length > 1 ? `answers worker (with rollups), run ${i + 1}${i === medianAt ? ' — **median**' : ''}` : '**answers worker** (with rollups)',
      `${n0(x.storedAnswers)} / ${n0(x.expectedAnswers)}`,
      `${n0(x.items)} / ${n0(x.jobs)}`,
      ms(x.drainMs),
      i === medianAt ? `**${n0(x.answersPerSecond)}**` : n0(x.answersPerSecond),
      x.lostAnswers,
      x.failedAttempts,
      n2(x.workerCores),
      `${n1(x.serviceCpuSeconds.postgres)} / ${n1(x.serviceCpuSeconds.redis)}`,
      pct(x.machineBusyShare),
      mib(x.rss.peakRssMiB),
      `${n2(x.loadBefore.load1)}→${n2(x.loadAfter.load1)}`,
    ]),
    ['single-row INSERT baseline (16 connections)', n0(b.rows), '–', ms(b.ms), n0(b.rowsPerSecond), '–', '–', '–', `${n1(b.serviceCpuSeconds.postgres)} / ${n1(b.serviceCpuSeconds.redis)}`, '–', '–', `${n2(b.loadBefore.load1)}→${n2(b.loadAfter.load1)}`],
  ];
  const missed = w.answersPerSecond < TARGET.answersPerSecond;
  return {
    p: 'yes',
    'p.viaService': viaService,
    'p.rate': n0(w.answersPerSecond),
    'p.verdict': verdictAtLeast(w.answersPerSecond, TARGET.answersPerSecond),
    'p.citizens': n0(w.citizens),
    'p.jobs': n0(w.jobs),
    'p.items': n0(w.items),
    'p.itemsMean': n1(w.itemsPerJob.mean),
    'p.itemsMax': n0(w.itemsPerJob.max),
    'p.warmup': n0(p.warmupCitizens ?? 0),
    'p.repeated': runs.length > 1 ? runs.length : undefined,
    'p.rows': rows(cells),
    'p.vsBaseline': n2(w.answersPerSecond / b.rowsPerSecond),
    'p.enqueue': ms(w.enqueueMs),
    'p.committed': n0(w.transactions.committed),
    'p.perJob': n2(w.transactions.perJob),
    'p.rolledBack': n0(w.transactions.rolledBack),
    'p.inserted': n0(w.transactions.tuplesInserted),
    'p.updated': n0(w.transactions.tuplesUpdated),
    'p.workerCores': n2(w.workerCores),
    'p.pgCores': n2(w.serviceCpuSeconds.postgres / (w.drainMs / 1000)),
    'p.redisCores': n2(w.serviceCpuSeconds.redis / (w.drainMs / 1000)),
    'p.busy': pct(w.machineBusyShare),
    'p.usPerAnswer': n0(cpuPerAnswerMs * 1000),
    ...(r
      ? {
          'p.rollups': 'yes',
          'p.rollups.completions': n0(r.completions),
          'p.rollups.transactions': n0(r.transactions),
          'p.rollups.concurrency': r.concurrency,
          'p.rollups.rows': n0(r.rowsUpserted),
          'p.rollups.perCompletion': n1(r.rowsUpserted / Math.max(1, r.completions)),
          'p.rollups.ms': ms(r.ms),
          'p.rollups.pgSeconds': n1(r.postgresCpuSeconds),
          'p.rollups.usPerAnswer': n1(r.postgresUsPerAnswer),
          'p.rollups.share': pct(r.shareOfWorkerRunPostgres),
          'p.rollups.workerUsPerAnswer': n1(r.workerRunPostgresUsPerAnswer),
        }
      : {}),
    ...profileValues('pr.worker', p.profile?.profile),
    'pr.worker.rate': n0(p.profile?.run.answersPerSecond),
    'pr.worker.citizens': n0(p.profile?.run.citizens),
    ...(missed
      ? {
          'c.persistence': 'yes',
          'c.any': 'yes',
          'c.persistence.share': pct(w.answersPerSecond / TARGET.answersPerSecond),
          // Without a replay in the results, the figure of the last one measured (188,800 rows for 2,000 completions).
          'c.persistence.upserts': n0((r?.rowsUpserted ?? 188_800) / Math.max(1, r?.completions ?? 2000)),
        }
      : {}),
  };
}
