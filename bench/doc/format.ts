import type { ProfileSummary } from '../lib/cpu-profile.js';
import type { LoadAverage } from '../lib/machine.js';

/** How docs/BENCHMARKS.md writes figures. */
type Num = number | null | undefined;
const missing = (v: Num): v is null | undefined => v === null || v === undefined || Number.isNaN(v);
export const n0 = (v: Num) => (missing(v) ? '–' : Math.round(v).toLocaleString('en-US'));
export const n1 = (v: Num) => (missing(v) ? '–' : (Math.round(v * 10) / 10).toLocaleString('en-US', { maximumFractionDigits: 1 }));
export const n2 = (v: Num) => (missing(v) ? '–' : (Math.round(v * 100) / 100).toLocaleString('en-US', { maximumFractionDigits: 2 }));
export const ms = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v >= 10_000 ? `${n1(v / 1000)} s` : `${v >= 100 ? n0(v) : n1(v)} ms`);
export const pct = (v: number) => `${Math.round(v * 1000) / 10} %`;
export const mib = (v: number) => `${n0(v)} MiB`;
export const kib = (bytes: number) => (bytes >= 1024 * 1024 ? `${n1(bytes / 1024 / 1024)} MiB` : `${n0(bytes / 1024)} KiB`);
export const loadNote = (l: LoadAverage) => `${n2(l.load1)} / ${n2(l.load5)} / ${n2(l.load15)}`;

/** Table rows (the header is the template's); a cell's "|" is escaped. */
export function rows(cells: (string | number)[][]): string {
  return cells.map((r) => `| ${r.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`).join('\n');
}

/** A whole table, header included: for the tables every profile shares. */
export function table(head: string[], cells: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, rows(cells)].join('\n');
}

export function verdictAtLeast(value: number, target: number): string {
  if (value >= target) return `met (${pct(value / target)} of the target)`;
  return `**missed** — ${pct(value / target)} of the target; ${n1(target / value)}× more needed`;
}

export function verdictAtMost(value: number, target: number): string {
  if (value <= target) return 'met';
  return `**missed** by ${ms(value - target)} (${n1(value / target)}× the target)`;
}

/** A profile's figures under `prefix` (absent: the template says none was written). */
export function profileValues(prefix: string, p: ProfileSummary | null | undefined): Record<string, string | undefined> {
  if (!p) return { [prefix]: undefined };
  const tables = [
    table(['area (nearest package or folder on the stack)', 'self time', 'share'], p.byArea.slice(0, 10).map((a) => [a.area, ms(a.ms), pct(a.share)])),
    '',
    table(['heaviest functions (self time)', 'where', 'self time', 'share'], p.topFunctions.slice(0, 10).map((f) => [`\`${f.fn}\``, `\`${f.where}\``, ms(f.ms), pct(f.share)])),
  ].join('\n');
  return { [prefix]: 'yes', [`${prefix}.file`]: p.file, [`${prefix}.profiled`]: n1(p.profiledMs / 1000), [`${prefix}.busy`]: n1(p.busyMs / 1000), [`${prefix}.tables`]: tables };
}
