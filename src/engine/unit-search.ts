import type { UnitRef } from './common-schemas.js';
import { foldText } from './normalize-text.js';

export const MAX_UNIT_CHOICES = 8;

export type UnitSearch = { kind: 'found'; unit: UnitRef } | { kind: 'ambiguous'; count: number; shown: UnitRef[] } | { kind: 'none' };

/**
 * Finds the unit a citizen typed: exact code or name (accent- and case-insensitive) wins;
 * otherwise every word typed must start a word of the unit's name or code ("tan phong" → "UBND xã Tân Phong").
 */
export function searchUnits(units: readonly UnitRef[], text: string): UnitSearch {
  const query = foldText(text);
  if (!query) return { kind: 'none' };
  const folded = units.map((u) => {
    const code = foldText(u.code);
    const name = foldText(u.name);
    return { unit: u, code, name, tokens: `${name} ${code}`.split(/[\s,.()/-]+/).filter(Boolean) };
  });
  const exact = folded.filter((u) => u.code === query || u.name === query);
  if (exact.length === 1) return { kind: 'found', unit: exact[0]!.unit };
  const words = query.split(' ');
  const hits = (exact.length > 1 ? exact : folded.filter((u) => words.every((w) => u.tokens.some((t) => t.startsWith(w))))).map((u) => u.unit);
  if (hits.length === 0) return { kind: 'none' };
  if (hits.length === 1) return { kind: 'found', unit: hits[0]! };
  return { kind: 'ambiguous', count: hits.length, shown: hits.slice(0, MAX_UNIT_CHOICES) };
}

const ENCODABLE_CODE = /^[A-Za-z0-9_.-]{1,40}$/;

/** Button value for a unit candidate: its code when it fits callback data, else its 1-based position. */
export function unitChoiceValue(unit: UnitRef, index: number): string {
  return ENCODABLE_CODE.test(unit.code) ? `c-${unit.code}` : `n-${index + 1}`;
}

/** Inverse of unitChoiceValue against the candidates offered (falls back to the full list for codes). */
export function unitFromChoice(value: string, candidates: readonly UnitRef[], all: readonly UnitRef[]): UnitRef | undefined {
  if (value.startsWith('c-')) {
    const code = value.slice(2);
    return candidates.find((u) => u.code === code) ?? all.find((u) => u.code === code);
  }
  if (value.startsWith('n-')) return candidates[Number(value.slice(2)) - 1];
  return undefined;
}
