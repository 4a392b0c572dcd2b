/**
 * Preloaded into every webhook target process (`--import` after tsx, see LOOP_PROBE_FLAGS):
 * records the event-loop delay (perf_hooks.monitorEventLoopDelay) and GC pauses
 * (PerformanceObserver 'gc'). On SIGUSR2 it writes a snapshot of what it saw since the
 * previous signal to $LOOP_PROBE_FILE (written whole, then renamed, so a reader never sees
 * half a file) and starts over. SIGUSR2's default action would kill a process without the
 * handler, so the probe writes an empty snapshot (seq 0) as soon as it is in place, and the
 * benchmark signals only processes that passed their readiness check and wrote that file.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export type GcStats = { count: number; totalMs: number; maxMs: number };
export type LoopStats = {
  /** Sequence number of the snapshot (0: written when the probe was loaded; 1: the first signal). */
  seq: number;
  windowMs: number;
  /** Event-loop delay beyond the probe timer's own interval, ms. */
  delayMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  samples: number;
  gc: GcStats & { byKind: Record<string, GcStats> };
};

export const LOOP_PROBE_RESOLUTION_MS = 10;

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

const file = process.env.LOOP_PROBE_FILE;
if (file) {
  const r3 = (n: number) => Math.round(n * 1000) / 1000;
  const histogram = monitorEventLoopDelay({ resolution: LOOP_PROBE_RESOLUTION_MS });
  histogram.enable();
  let byKind: Record<string, GcStats> = {};
  let since = performance.now();
  let seq = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = KINDS[(e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? -1] ?? 'other';
      const k = (byKind[kind] ??= { count: 0, totalMs: 0, maxMs: 0 });
      k.count++;
      k.totalMs += e.duration;
      k.maxMs = Math.max(k.maxMs, e.duration);
    }
  }).observe({ entryTypes: ['gc'] });
  // The histogram records the time between the timer's ticks, which includes its own interval.
  const delay = (ns: number) => (histogram.count ? r3(Math.max(0, ns / 1e6 - LOOP_PROBE_RESOLUTION_MS)) : 0);
  const write = () => {
    const kinds = Object.values(byKind);
    const snapshot: LoopStats = {
      seq: seq++,
      windowMs: Math.round(performance.now() - since),
      delayMs: { p50: delay(histogram.percentile(50)), p90: delay(histogram.percentile(90)), p99: delay(histogram.percentile(99)), max: delay(histogram.max), mean: delay(histogram.mean) },
      samples: histogram.count,
      gc: {
        count: kinds.reduce((s, k) => s + k.count, 0),
        totalMs: r3(kinds.reduce((s, k) => s + k.totalMs, 0)),
        maxMs: r3(Math.max(0, ...kinds.map((k) => k.maxMs))),
        byKind: Object.fromEntries(Object.entries(byKind).map(([name, k]) => [name, { count: k.count, totalMs: r3(k.totalMs), maxMs: r3(k.maxMs) }])),
      },
    };
    writeFileSync(`${file}.tmp`, JSON.stringify(snapshot));
    renameSync(`${file}.tmp`, file);
    histogram.reset();
    byKind = {};
    since = performance.now();
  };
  process.on('SIGUSR2', write);
  write();
}
