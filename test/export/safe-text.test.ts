import { describe, expect, it } from 'vitest';
import { attachmentHeader, exportText, maskPersonalData, neutralizeFormula } from '../../src/export/safe-text.js';

describe('text cells that cannot attack a spreadsheet', () => {
  it('prefixes every risky start, and every risky character after a list separator', () => {
    expect(neutralizeFormula('=1+1')).toBe("'=1+1");
    expect(neutralizeFormula('+84 cmd')).toBe("'+84 cmd");
    expect(neutralizeFormula('-2+3')).toBe("'-2+3");
    expect(neutralizeFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutralizeFormula('\t=1+1')).toBe("'\t=1+1");
    expect(neutralizeFormula('\r=1+1')).toBe("'\r=1+1");
    // vi-VN's list separator is ";": the cell would split there and the rest run as a formula.
    expect(neutralizeFormula('Tốt;=1+1')).toBe("Tốt;'=1+1");
    expect(neutralizeFormula('Tốt; @SUM(A1), -1')).toBe("Tốt; '@SUM(A1), '-1");
    expect(neutralizeFormula('Sở Nội vụ')).toBe('Sở Nội vụ');
    expect(neutralizeFormula(-5)).toBe(-5);
  });

  it('masks phone numbers, e-mail addresses and 9- or 12-digit ID numbers in free text', () => {
    expect(maskPersonalData('Gọi 0912 345 678 hoặc +84 912.345.679')).toBe('Gọi [số điện thoại] hoặc [số điện thoại]');
    expect(maskPersonalData('email: an.nguyen@so-noivu.gov.vn')).toBe('email: [email]');
    expect(maskPersonalData('CCCD 001203004567, CMND 123 456 789')).toBe('CCCD [số giấy tờ], CMND [số giấy tờ]');
    // Other numbers stay: dates, fees, dossier counts.
    expect(maskPersonalData('Nộp 50.000 đồng ngày 01/12/2026, 3 lần')).toBe('Nộp 50.000 đồng ngày 01/12/2026, 3 lần');
    expect(exportText('=HYPERLINK("x") 0912345678')).toBe(`'=HYPERLINK("x") [số điện thoại]`);
  });

  it('names downloads with Vietnamese in filename* and an ASCII fallback, with nothing to inject', () => {
    expect(attachmentHeader('sipas_2026-11_Sở.csv')).toBe(`attachment; filename="sipas_2026-11_So.csv"; filename*=UTF-8''sipas_2026-11_S%E1%BB%9F.csv`);
    const hostile = attachmentHeader('a"; filename=evil.exe; x=".csv');
    expect(hostile).not.toMatch(/filename=evil/);
    expect(hostile.split(';').map((p) => p.trim().split('=')[0])).toEqual(['attachment', 'filename', 'filename*']);
    // Only Latin-1 in the header (Node refuses anything else with a 500).
    expect(/^[\x20-\x7e]*$/.test(attachmentHeader('Xã Tân Phong – đợt 2.xlsx'))).toBe(true);
  });
});
