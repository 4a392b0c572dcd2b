import { describe, expect, it } from 'vitest';
import { microdataPooling } from '../../src/export/microdata-pooling.js';

const unit = (id: number, responses: number, group = 'G') => ({ id, code: `U${String(id).padStart(2, '0')}`, group, responses });

describe('microdataPooling', () => {
  it('pools nothing when every unit reaches the minimum cell', () => {
    expect(microdataPooling([unit(1, 5), unit(2, 9)], 5)).toEqual({ pooled: new Set(), dropPooled: false });
  });

  it('never leaves one small unit alone in the pool: the smallest other unit joins it', () => {
    // U03 alone would be a pool of 2 rows that, by elimination, are U03's.
    const { pooled, dropPooled } = microdataPooling([unit(1, 40), unit(2, 12), unit(3, 2), unit(4, 7)], 5);
    expect([...pooled].sort()).toEqual([3, 4]);
    expect(dropPooled).toBe(false);
  });

  it('pools several small units without help once they reach the minimum cell together', () => {
    const { pooled } = microdataPooling([unit(1, 40), unit(2, 3), unit(3, 2)], 5);
    expect([...pooled].sort()).toEqual([2, 3]);
  });

  it('pools the same units the index report withholds, ties broken by code', () => {
    const { pooled } = microdataPooling([unit(1, 1), unit(3, 8), unit(2, 8)], 5);
    expect([...pooled].sort()).toEqual([1, 2]);
  });

  it('drops the pooled rows when even all units together stay below the minimum cell', () => {
    expect(microdataPooling([unit(1, 2), unit(2, 1)], 5)).toEqual({ pooled: new Set([1, 2]), dropPooled: true });
    expect(microdataPooling([unit(1, 4)], 5)).toEqual({ pooled: new Set([1]), dropPooled: true });
  });

  it('pools across groups as the report withholds them, and leaves pooled rows out of a one-group export', () => {
    // A: 40 and 2 → U02 withheld with the smallest other A unit; B: 3 alone (group below the cell) → complementary group.
    const units = [unit(1, 40, 'A'), unit(2, 2, 'A'), unit(3, 6, 'A'), unit(4, 3, 'B'), unit(5, 30, 'C')];
    const all = microdataPooling(units, 5);
    expect([...all.pooled].sort()).toEqual([2, 3, 4]);
    expect(all.dropPooled).toBe(false);
    expect(microdataPooling(units, 5, 'A')).toEqual({ pooled: all.pooled, dropPooled: true });
  });
});
