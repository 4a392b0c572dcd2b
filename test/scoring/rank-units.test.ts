import { describe, expect, it } from 'vitest';
import { rankUnits } from '../../src/scoring/rank-units.js';

describe('rankUnits', () => {
  it('gives ties the same rank and skips the next ones (1, 2, 2, 4); nulls are unranked', () => {
    const g = 'xa';
    expect(rankUnits([{ group: g, index: 80 }, { group: g, index: 90 }, { group: g, index: null }, { group: g, index: 70 }, { group: g, index: 80 }])).toEqual([2, 1, null, 4, 2]);
  });

  it('ranks each group separately', () => {
    expect(rankUnits([{ group: 'so', index: 50 }, { group: 'xa', index: 60 }, { group: 'so', index: 70 }, { group: 'xa', index: 40 }])).toEqual([2, 1, 1, 2]);
  });

  it('treats floating-point noise as a tie but a real difference as none', () => {
    const a = (0.1 + 0.2) * 100; // 30.000000000000004
    expect(rankUnits([{ group: 'g', index: a }, { group: 'g', index: 30 }, { group: 'g', index: 29.99 }])).toEqual([1, 1, 3]);
  });
});
