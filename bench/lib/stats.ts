/** Percentile by nearest rank over an unsorted list (copied and sorted). */
export function percentiles(values: number[], ps: number[]): Record<string, number> {
  const sorted = Float64Array.from(values).sort();
  const out: Record<string, number> = {};
  for (const p of ps) {
    if (sorted.length === 0) {
      out[`p${p}`] = NaN;
      continue;
    }
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    out[`p${p}`] = round2(sorted[rank]!);
  }
  return out;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
export const round0 = (n: number) => Math.round(n);

export function median(values: number[]): number {
  return percentiles(values, [50]).p50!;
}
