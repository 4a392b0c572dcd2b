/** Answer counts of one criterion: likert levels 1–5 and "not applicable". */
export type LikertCounts = { c1: number; c2: number; c3: number; c4: number; c5: number; na: number };

export type CriterionCountRow = { unitId: number; criterionCode: string } & LikertCounts;
export type OptionCountRow = { unitId: number; questionCode: string; option: string; count: number };
export type ResponseCountRow = { unitId: number; responses: number };

/**
 * Everything scoring needs for one questionnaire, period and unit scope: completed
 * responses per unit, likert counts per unit × criterion, option counts per unit ×
 * question × option (including the "__answered" denominators, excluding the
 * "__responses" marker, which is lifted into `responses`). Produced identically by the
 * rollup path and the raw-answer path.
 */
export type ScoringCounts = {
  responses: ResponseCountRow[];
  criteria: CriterionCountRow[];
  options: OptionCountRow[];
  /**
   * Completed, counted responses per unit and segment, whatever the scope's segments and
   * group: what reports say about sources and exclusions, and what withheld cells are
   * decided on (over the whole hierarchy).
   */
  segments?: SegmentCountRow[];
};

/** Responses of a unit in one rollup segment (see `SEGMENT_INVITED`, `SEGMENT_FLAGGED`). */
export type SegmentCountRow = { unitId: number; segment: number; responses: number };

export const emptyLikertCounts = (): LikertCounts => ({ c1: 0, c2: 0, c3: 0, c4: 0, c5: 0, na: 0 });

export function addLikertCounts(into: LikertCounts, add: LikertCounts): LikertCounts {
  into.c1 += add.c1;
  into.c2 += add.c2;
  into.c3 += add.c3;
  into.c4 += add.c4;
  into.c5 += add.c5;
  into.na += add.na;
  return into;
}

/**
 * Which completed responses to count: one questionnaire, completion days `from`–`to`
 * inclusive (YYYY-MM-DD, `null` = unbounded), optionally one unit group, and the rollup
 * segments to include (default: all; see rollup-keys.ts).
 */
export type CountScope = { questionnaireId: number; from?: string | null; to?: string | null; group?: string | null; segments?: readonly number[] };

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorts counts in place, by unit then key (criterion code, or question and option) in
 * UTF-16 code unit order, and returns them: both count paths sort here, in JavaScript,
 * so their rows come in the same order whatever the database collation.
 */
export function sortCounts(counts: ScoringCounts): ScoringCounts {
  counts.responses.sort((a, b) => a.unitId - b.unitId);
  counts.criteria.sort((a, b) => a.unitId - b.unitId || compareText(a.criterionCode, b.criterionCode));
  counts.options.sort((a, b) => a.unitId - b.unitId || compareText(a.questionCode, b.questionCode) || compareText(a.option, b.option));
  counts.segments?.sort((a, b) => a.unitId - b.unitId || a.segment - b.segment);
  return counts;
}
