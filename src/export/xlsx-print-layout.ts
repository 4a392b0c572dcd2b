import type ExcelJS from 'exceljs';

/** Printed sheets use the font of administrative documents. */
export const PRINT_FONT = 'Times New Roman';

/** A4 landscape, one page wide and as many pages tall as needed, the table header (e.g. "1:1") on every page. */
export function a4LandscapePageSetup(headerRows?: string): Partial<ExcelJS.PageSetup> {
  return {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    ...(headerRows ? { printTitlesRow: headerRows } : {}),
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
  };
}

export const THIN_BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/**
 * How many lines `text` takes when wrapped in a column `width` characters wide (word wrap,
 * a little pessimistic), so that row heights can be set: spreadsheets do not grow rows
 * for wrapped text on their own when a file is opened, and printed text would be cut off.
 */
export function wrappedLines(text: string, width: number, fontSize = 11): number {
  const capacity = Math.max(1, Math.floor(((width - 1) * 11) / fontSize));
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    let used = 0;
    lines++;
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const len = word.length;
      if (used === 0) used = len;
      else if (used + 1 + len <= capacity) used += 1 + len;
      else {
        lines++;
        used = len;
      }
      while (used > capacity) {
        lines++;
        used -= capacity;
      }
    }
  }
  return lines;
}

/** Row height in points for `lines` lines of a `fontSize` font. */
export const rowHeight = (lines: number, fontSize = 11): number => Math.ceil(lines * fontSize * 1.3 + 4);
