import { BULK_SLOWDOWN_TARGET, type BulkResult, type ProbePhase, type Slowdown } from '../bulk/bench-bulk.js';
import type { Values } from './fill-template.js';
import { ms, n0, n1, n2, rows } from './format.js';

const PHASE_NAMES: Record<ProbePhase['name'], string> = {
  baseline: 'no upload',
  creation: 'upload being created (rows without recipient)',
  creationAndDelivery: 'upload being created and delivered (each row names a chat)',
};

const x = (v: number) => `${n2(v)}×`;
const figures = (s: Slowdown) => `ack p50 ${x(s.ackP50)}, p99 ${x(s.ackP99)}; reply p50 ${x(s.replyP50)}, p99 ${x(s.replyP99)}`;
const verdict = (s: Slowdown) => {
  const worst = Math.max(s.ackP50, s.ackP99, s.replyP50, s.replyP99);
  return worst <= BULK_SLOWDOWN_TARGET ? 'met' : `**missed** (${x(worst)} at worst)`;
};

/** Everything docs/BENCHMARKS.md says about the background bulk-upload benchmark. */
export function bulkValues(b: BulkResult): Values {
  const upload = (name: ProbePhase['name']) => b.phases.find((p) => p.name === name)?.bulk;
  const created = upload('creation');
  return {
    bk: 'yes',
    'bk.rows': n0(b.sizes.rows),
    'bk.rate': b.sizes.probesPerSecond,
    'bk.baseline': ms(b.sizes.baselineMs),
    'bk.target': BULK_SLOWDOWN_TARGET,
    'bk.creation': figures(b.slowdown.creation),
    'bk.creationVerdict': verdict(b.slowdown.creation),
    'bk.delivery': figures(b.slowdown.creationAndDelivery),
    'bk.deliveryVerdict': verdict(b.slowdown.creationAndDelivery),
    'bk.createMs': created ? ms(created.createMs) : '–',
    'bk.rowsPerSecond': created ? n0(created.rowsPerSecond) : '–',
    'bk.delivered': n0(b.delivered),
    'bk.cpu': n1(b.productCpuSeconds),
    'bk.row': rows(
      b.phases.map((p) => [
        PHASE_NAMES[p.name],
        ms(p.durationMs),
        p.bulk ? `${n0(p.bulk.created)} in ${ms(p.bulk.createMs)} (${n0(p.bulk.rowsPerSecond)}/s)` : '–',
        `${p.answered} / ${p.probes}`,
        ms(p.ackMs.p50),
        ms(p.ackMs.p99),
        ms(p.replyMs.p50),
        ms(p.replyMs.p99),
        ms(p.maxReplyMs),
      ]),
    ),
  };
}
