import type { RunResults } from '../run-all.js';
import type { Values } from './fill-template.js';
import { loadNote, ms, n1, pct, rows } from './format.js';

/** The machine, the run and the load on it, as docs/BENCHMARKS.md reports them. */
export function machineValues(r: RunResults): Values {
  const m = r.machine;
  const per = Object.entries(r.load.perBench);
  const line2 = (s: string) => s.split('\n')[1]?.replace(/\s+/g, ' ') ?? '';
  const stamp = (iso: string) => iso.replace('T', ' ').slice(0, 19);
  return {
    'm.dates': `${stamp(r.startedAt)} → ${stamp(r.finishedAt)}`,
    'm.cpu': m.cpuModel,
    'm.nproc': m.nproc,
    'm.memory': line2(m.freeH),
    'm.node': m.node,
    'm.postgres': m.postgres,
    'm.pgSettings': Object.entries(r.postgresSettings).map(([k, v]) => `${k} ${v}`).join(', '),
    'm.redis': m.redis,
    'm.kernel': m.kernel,
    'm.disk': line2(m.diskWork),
    'm.loadStart': loadNote(r.load.start),
    'm.loadEnd': loadNote(r.load.end),
    'm.perBenchRows': rows(
      per.map(([name, l]) => [name, ms(l.durationMs), loadNote(l.before), loadNote(l.after), l.foreignCpuSeconds === undefined ? '–' : `${n1(l.foreignCpuSeconds)} CPU s (${pct(l.foreignShare)})`, l.stealShare === undefined ? '–' : pct(l.stealShare)]),
    ),
    'm.busy': per.filter(([, l]) => (l.foreignShare ?? 0) > 0.05).map(([name, l]) => `${name} (${pct(l.foreignShare)} of the machine)`).join(', '),
    'm.stolen': per.filter(([, l]) => (l.stealShare ?? 0) > 0.03).map(([name, l]) => `${name} (${pct(l.stealShare ?? 0)})`).join(', '),
  };
}
