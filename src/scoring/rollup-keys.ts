/**
 * How rollup rows are keyed (the contract between the answers worker, which increments
 * them, and scoring, which reads them).
 *
 * `criterion_rollups`: one row per questionnaire × unit × criterion code (the index node
 * code, e.g. "1.1", not the question code) × completion day (Asia/Ho_Chi_Minh, the
 * response's `completed_day`). `c1`…`c5` count answered likert scores, `c_na` counts
 * "not applicable"; unanswered questions count nowhere.
 *
 * `option_rollups`, per questionnaire × unit × question × option × day:
 * - Response counts *(decision)*: every completed response adds 1 to the row with
 *   question code `RESPONSES_QUESTION` ("__responses") and option `RESPONSES_OPTION`
 *   ("all"). Unit response counts therefore come from the same table and the same
 *   GROUP BY as every other rollup (no extra table, cost independent of responses).
 * - Every answered option question (see `optionQuestionCodes`) adds 1 to option
 *   `ANSWERED_OPTION` ("__answered", the denominator of option shares: multi-choice
 *   shares do not sum to 100) and 1 per chosen option key (see `optionKeysOf`);
 *   a "not applicable" answer adds 1 to option `NA_OPTION` ("na").
 * Option values starting with "__" are therefore reserved.
 */
export const RESPONSES_QUESTION = '__responses';
export const RESPONSES_OPTION = 'all';
export const ANSWERED_OPTION = '__answered';
export const NA_OPTION = 'na';

/**
 * Every rollup row also has a segment, so reports can count sources apart and leave
 * flagged responses out without reading answers: bit 1 set for a response that came
 * through an invitation (else an open survey), bit 2 for one that failed a data-quality
 * check, bit 4 for test data (the simulator, or an invitation marked `test`), which
 * reports leave out unless asked and `npm run sandbox -- purge` deletes. Responses not
 * counted (a second one of the same person) are in no rollup.
 */
export const SEGMENT_INVITED = 1;
export const SEGMENT_FLAGGED = 2;
export const SEGMENT_TEST = 4;
export const ALL_SEGMENTS = [0, 1, 2, 3, 4, 5, 6, 7] as const;

export const segmentOf = (r: { invited: boolean; flagged: boolean; test?: boolean }): number =>
  (r.invited ? SEGMENT_INVITED : 0) | (r.flagged ? SEGMENT_FLAGGED : 0) | (r.test ? SEGMENT_TEST : 0);

/** Test data in a report or export: left out (the default), counted with the rest, or counted alone. */
export type TestFilter = 'exclude' | 'include' | 'only';

/** Whether a segment's responses are counted under the test filter. */
export const testAllowed = (segment: number, test: TestFilter = 'exclude'): boolean =>
  test === 'include' || ((segment & SEGMENT_TEST) !== 0) === (test === 'only');

/** The segments a report counts: by source (invited, open or both), with or without flagged responses, and test data left out unless asked. */
export function segmentsFor(source: 'all' | 'invited' | 'open', quality: 'include' | 'exclude_flagged', test: TestFilter = 'exclude'): number[] {
  return ALL_SEGMENTS.filter((s) => {
    if (!testAllowed(s, test)) return false;
    const invited = (s & SEGMENT_INVITED) !== 0;
    if (source === 'invited' && !invited) return false;
    if (source === 'open' && invited) return false;
    return quality === 'include' || (s & SEGMENT_FLAGGED) === 0;
  });
}

/** A segment in words, for operators: "invited" or "open survey", then ", flagged" and ", test" when it is. */
export const segmentName = (segment: number): string =>
  `${segment & SEGMENT_INVITED ? 'invited' : 'open survey'}${segment & SEGMENT_FLAGGED ? ', flagged' : ''}${segment & SEGMENT_TEST ? ', test' : ''}`;
