/**
 * A small seeded PRNG (mulberry32): reproducible draws — the simulator's `--auto` answers
 * vary from run to run yet repeat exactly with the same `--seed`, and tests draw the same
 * data every run. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** One item of `items`, chosen with probability proportional to its weight. */
export function weightedPick<T>(random: () => number, items: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((s, w) => s + w, 0);
  let r = random() * total;
  for (let i = 0; i < items.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return items[i]!;
  }
  return items[items.length - 1]!;
}
