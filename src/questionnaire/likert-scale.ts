import type { LocalizedText } from './definition-schema.js';

/** The 5-level SIPAS scale; "satisfied" means 4 or 5. */
export const LIKERT_LEVELS = [1, 2, 3, 4, 5] as const;
export type LikertLevel = (typeof LIKERT_LEVELS)[number];

export const LIKERT_LABELS: Record<LikertLevel, LocalizedText> = {
  1: { vi: 'Rất không hài lòng', en: 'Very dissatisfied' },
  2: { vi: 'Không hài lòng', en: 'Dissatisfied' },
  3: { vi: 'Bình thường', en: 'Neutral' },
  4: { vi: 'Hài lòng', en: 'Satisfied' },
  5: { vi: 'Rất hài lòng', en: 'Very satisfied' },
};

export const NOT_APPLICABLE_LABEL: LocalizedText = { vi: 'Không có ý kiến / Không áp dụng', en: 'No opinion / not applicable' };

export const isSatisfied = (level: number): boolean => level >= 4;
