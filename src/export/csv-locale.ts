import { shownIndex } from '../scoring/rank-units.js';

/**
 * How a CSV is written for the spreadsheet that opens it: `vi` (vi-VN: ";" between
 * cells, decimal comma) or `en` (en-US: "," and a decimal point). Both start with a
 * UTF-8 BOM, without which Excel reads UTF-8 as the local code page.
 */
export type CsvLocale = 'vi' | 'en';

export const CSV_LOCALES = ['vi', 'en'] as const;

export const csvDelimiter = (locale: CsvLocale): string => (locale === 'vi' ? ';' : ',');

const withSeparator = (text: string, locale: CsvLocale) => (locale === 'vi' ? text.replace('.', ',') : text);

/** A percentage as published: 2 decimals, half up as `shownIndex` rounds; empty for `null`. */
export const csvPercent = (value: number | null, locale: CsvLocale): string => (value === null ? '' : withSeparator(shownIndex(value).toFixed(2), locale));

/** A number in full precision (the long table); empty for `null`. */
export const csvNumber = (value: number | null, locale: CsvLocale): string => (value === null ? '' : withSeparator(String(value), locale));
