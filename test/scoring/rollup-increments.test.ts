import { describe, expect, it } from 'vitest';
import { optionKeysOf } from '../../src/scoring/option-keys.js';
import { rollupIncrements } from '../../src/scoring/rollup-increments.js';
import { chose, likert, na, ONE_FIELD, unanswered } from '../support/scoring-fixtures.js';

describe('optionKeysOf', () => {
  it('maps answers to option-rollup keys', () => {
    expect(optionKeysOf(chose('gender', 'f'))).toEqual(['__answered', 'f']);
    expect(optionKeysOf(chose('channel', ['web', 'kin']))).toEqual(['__answered', 'web', 'kin']);
    expect(optionKeysOf(chose('channel', []))).toEqual(['__answered']);
    expect(optionKeysOf(chose('harass', true))).toEqual(['__answered', 'yes']);
    expect(optionKeysOf(chose('harass', false))).toEqual(['__answered', 'no']);
    expect(optionKeysOf(likert('overall', 4))).toEqual(['__answered', '4']);
    expect(optionKeysOf(na('overall'))).toEqual(['na']);
    expect(optionKeysOf(unanswered('gender'))).toEqual([]);
    expect(optionKeysOf(chose('x', { nested: 1 }))).toEqual(['__answered']);
  });
});

describe('rollupIncrements', () => {
  it('counts criteria by level and N/A, options by key, and one response marker; ignores text and unknown questions', () => {
    const inc = rollupIncrements(ONE_FIELD, [
      likert('qE1.1', 5),
      na('qE1.2'),
      unanswered('qE2.1'),
      chose('gender', 'm'),
      chose('note', 'rất tốt'),
      likert('qZZ', 3),
    ]);
    expect(inc.criteria).toEqual([
      { criterionCode: 'E1.1', c1: 0, c2: 0, c3: 0, c4: 0, c5: 1, na: 0 },
      { criterionCode: 'E1.2', c1: 0, c2: 0, c3: 0, c4: 0, c5: 0, na: 1 },
    ]);
    expect(inc.options).toEqual([
      { questionCode: '__responses', option: 'all', count: 1 },
      { questionCode: 'gender', option: '__answered', count: 1 },
      { questionCode: 'gender', option: 'm', count: 1 },
    ]);
  });
});
