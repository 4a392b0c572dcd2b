import { PROGRESS_TARGET_MS, type ProgressResult } from '../rounds/bench-progress.js';
import type { Values } from './fill-template.js';
import { ms, n0 } from './format.js';

/** Everything docs/BENCHMARKS.md says about the round-progress benchmark. */
export function progressValues(p: ProgressResult): Values {
  return {
    pg: 'yes',
    'pg.units': n0(p.sizes.units),
    'pg.invitations': n0(p.sizes.invitations),
    'pg.responses': n0(p.sizes.responses),
    'pg.runs': p.sizes.runs,
    'pg.target': PROGRESS_TARGET_MS,
    'pg.p50': ms(p.http.p50),
    'pg.p95': ms(p.http.p95),
    'pg.max': ms(p.http.max),
    'pg.base50': ms(p.baseline.p50),
    'pg.base95': ms(p.baseline.p95),
    'pg.seed': p.seeded ? `seeded in this run (${ms((p.seedSeconds ?? 0) * 1000)})` : 'reused from an earlier run',
    'pg.answerUnits': n0(p.unitsInAnswer),
    'pg.answerInvited': n0(p.invitedInAnswer),
    'pg.verdict': p.http.p95 <= PROGRESS_TARGET_MS ? 'met' : p.http.p50 <= PROGRESS_TARGET_MS ? `met at the median; **missed** at p95 (${ms(p.http.p95)})` : `**missed** (${ms(p.http.p50)} at the median)`,
  };
}
