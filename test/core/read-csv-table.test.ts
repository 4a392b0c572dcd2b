import { describe, expect, it } from 'vitest';
import { headerKey, readCsvTable, sniffDelimiter } from '../../src/core/read-csv-table.js';

const ALIASES = { unitCode: ['Mã đơn vị'], dossierCode: ['Mã hồ sơ'], telegramChatId: ['Mã Telegram', 'Telegram chat id'] };

describe('readCsvTable', () => {
  it('reads an Excel export: BOM, ";" separators, CRLF, Vietnamese headers, a quoted ";" and empty rows', () => {
    const text = '\uFEFFMã đơn vị;Mã hồ sơ;Telegram chat id;Ghi chú\r\nSNV;"HS;1";123;x\r\n;;;\r\nXTP;HS-2;;\r\n';
    expect(readCsvTable(text, ALIASES)).toEqual([
      { unitCode: 'SNV', dossierCode: 'HS;1', telegramChatId: '123', 'Ghi chú': 'x' },
      { unitCode: 'XTP', dossierCode: 'HS-2', telegramChatId: '', 'Ghi chú': '' },
    ]);
  });

  it('takes the API names and "," as before, with a "," inside quotes', () => {
    expect(readCsvTable('unitCode,dossierCode\nSNV,"HS,3"\n', ALIASES)).toEqual([{ unitCode: 'SNV', dossierCode: 'HS,3' }]);
  });

  it('compares headers without diacritics, case or spacing, also when decomposed (NFD)', () => {
    expect(headerKey('Mã đơn vị')).toBe('madonvi');
    expect(headerKey('Mã đơn vị'.normalize('NFD'))).toBe('madonvi');
    expect(headerKey(' Telegram_Chat-ID ')).toBe('telegramchatid');
    expect(readCsvTable('MÃ TELEGRAM\t mã hồ sơ\n5\tA\n', ALIASES)).toEqual([{ telegramChatId: '5', dossierCode: 'A' }]);
  });

  it('sniffs the separator of the header line only, outside quotes', () => {
    expect(sniffDelimiter('"a;b",c,d\n1;2;3;4;5')).toBe(',');
    expect(sniffDelimiter('a;b;c\n1,2,3,4,5')).toBe(';');
    expect(sniffDelimiter('a\tb\n')).toBe('\t');
  });
});
