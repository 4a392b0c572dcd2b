import { createHash } from 'node:crypto';

/**
 * The order in which a unit's frame rows are drawn: a hash of the seed, unit and dossier.
 * The same seed and frame always give the same sample, whatever the upload order, and a
 * row added later takes its place in the same order.
 */
export const drawKeyOf = (seed: string, unitCode: string, dossierCode: string): string => createHash('sha256').update(`${seed}\u0000${unitCode}\u0000${dossierCode}`).digest('hex');

/** Yamane's n = N / (1 + N·e²), rounded up (the sample size of MoHA's pilot method, e = 5 %). */
export const yamaneSize = (population: number, margin: number): number => (population <= 0 ? 0 : Math.min(population, Math.ceil(population / (1 + population * margin * margin))));

/** A unit's sample size: its quota or Yamane's n, never more than its eligible rows. */
export function sampleSize(rule: 'quota' | 'yamane', eligible: number, target: number, margin: number): number {
  return Math.min(eligible, rule === 'quota' ? target : yamaneSize(eligible, margin));
}

/** The wave (1-based) of the i-th drawn row (0-based) of a sample of `size` split into `waves` waves of near-equal size. */
export const waveOf = (i: number, size: number, waves: number): number => Math.min(waves, Math.floor((i * waves) / Math.max(1, size)) + 1);
