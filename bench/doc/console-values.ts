import { CONSOLE_PAGE_TARGET_MS, type ConsoleResult } from '../console/bench-console-pages.js';
import type { Values } from './fill-template.js';
import { kib, ms, n0, rows, verdictAtMost } from './format.js';

/** Everything docs/BENCHMARKS.md says about the console-pages benchmark. */
export function consoleValues(c: ConsoleResult): Values {
  const worst = Math.max(...c.pages.map((p) => p.http.p95));
  return {
    cp: 'yes',
    'cp.responses': n0(c.sizes.responses),
    'cp.units': n0(c.units),
    'cp.runs': c.sizes.runs,
    'cp.target': CONSOLE_PAGE_TARGET_MS,
    'cp.rows': rows(c.pages.map((p) => [`\`GET ${p.path}\` (${p.name}) as ${p.role}`, ms(p.http.p50), ms(p.http.p95), ms(p.http.max), kib(p.http.bytes)])),
    'cp.base50': ms(c.baseline.p50),
    'cp.base95': ms(c.baseline.p95),
    'cp.baseMax': ms(c.baseline.max),
    'cp.baseSize': kib(c.baseline.bytes),
    'cp.worst': ms(worst),
    'cp.verdict': verdictAtMost(worst, CONSOLE_PAGE_TARGET_MS),
  };
}
