import { cpuSecondsOf, sampleRss } from '../../test/support/spawn-script.js';
import { round2 } from '../lib/stats.js';
import type { Samples } from './watch.js';

export type LatencySummary = {
  samples: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
  /** Answers other than 2xx (e.g. 503 when the product sheds load), and requests that got none. */
  non2xx: number;
};

export type PhaseName = 'baseline' | 'unitsPut' | 'unitsPost' | 'zalo' | 'unitUpload' | 'qrDistinct' | 'qrCached' | 'slowBodies';

export type PhaseWindow = {
  name: PhaseName;
  /** Send times of the watcher's samples that count for this phase: from the attack's start until its end plus a short tail. */
  startAt: number;
  endAt: number;
  durationMs: number;
  productCpuSeconds: number;
  peakRssMiB: number;
  /** The product's own counters (`GET /metrics`) that moved during the phase: requests shed, dependency outages, refused webhooks. */
  counters: Record<string, number>;
};

export type PhaseResult = PhaseWindow & { acks: LatencySummary; healthz: LatencySummary };

const nowMs = () => performance.timeOrigin + performance.now();

/** Nearest-rank percentile of a sorted array. */
const rank = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** The samples sent within [from, to). */
export function summarize(s: Samples, from: number, to: number): LatencySummary {
  const ms: number[] = [];
  let non2xx = 0;
  for (let i = 0; i < s.at.length; i++) {
    if (s.at[i]! < from || s.at[i]! >= to) continue;
    ms.push(s.ms[i]!);
    if (s.status[i]! < 200 || s.status[i]! >= 300) non2xx++;
  }
  ms.sort((a, b) => a - b);
  if (!ms.length) return { samples: 0, p50: null, p99: null, max: null, non2xx };
  return { samples: ms.length, p50: rank(ms, 50), p99: rank(ms, 99), max: ms.at(-1)!, non2xx };
}

/** Counters of `GET /metrics` that say how the product took the phase. */
const COUNTERS = /^(sipas_requests_shed_total|sipas_requests_dependency_unavailable_total|sipas_webhook_updates_total\{[^}]*outcome="unauthorized"[^}]*\})(\{[^}]*\})? ([0-9.e+]+)$/;

export async function readCounters(baseUrl: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = COUNTERS.exec(line);
    if (m) out[`${m[1]}${m[2] ?? ''}`] = Number(m[3]);
  }
  return out;
}

function counterDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).flatMap(([k, v]) => (v - (before[k] ?? 0) > 0 ? [[k, v - (before[k] ?? 0)]] : [])));
}

/**
 * Runs one phase's attack and records its window (plus `tailMs` after the attack ended, so a
 * stall it leaves behind still counts), the product's CPU seconds and peak RSS meanwhile.
 */
export async function timedPhase<T>(name: PhaseName, product: { pid: number; url: string }, tailMs: number, attack: () => Promise<T>): Promise<{ window: PhaseWindow; result: T }> {
  const { pid } = product;
  const counters0 = await readCounters(product.url);
  const cpu0 = cpuSecondsOf(pid) ?? 0;
  const rss = sampleRss(pid, 100);
  const startAt = nowMs();
  const result = await attack();
  await new Promise((r) => setTimeout(r, tailMs));
  const endAt = nowMs();
  const mem = rss.stop();
  const cpu = round2((cpuSecondsOf(pid) ?? 0) - cpu0);
  const counters = counterDelta(counters0, await readCounters(product.url));
  return {
    window: { name, startAt, endAt, durationMs: Math.round(endAt - startAt), productCpuSeconds: cpu, peakRssMiB: mem.peakRssMiB, counters },
    result,
  };
}

export function phaseResults(windows: PhaseWindow[], acks: Samples, healthz: Samples): PhaseResult[] {
  return windows.map((w) => ({ ...w, acks: summarize(acks, w.startAt, w.endAt), healthz: summarize(healthz, w.startAt, w.endAt) }));
}
