import { describe, expect, it } from 'vitest';
import { writeReportCsv } from '../../src/export/write-report-csv.js';
import { buildIndexReport } from '../../src/scoring/build-index-report.js';
import { counts, ONE_FIELD } from '../support/scoring-fixtures.js';
import { collector } from './sample-report.js';

/*
 * The annex CSV byte for byte: what a vi-VN spreadsheet opens as numbers (";" between cells,
 * decimal comma) and what an en-US one does ("," and point), both UTF-8 with a BOM.
 */

// S1: E1.1 5/6, E1.2 4/6, E2.1 6/6 → E1 75, E2 100, overall (mean of criteria) 87.50.
// X1: 3/6, 3/6, 2/6 → E1 50, E2 33.33, overall 41.67. X2: 7/7, 6/7, 7/7 → E1 92.86, E2 100, overall 96.43.
const units = [
  { id: 1, code: 'X1', name: 'UBND xã Một, huyện Hai', group: 'xa' },
  { id: 2, code: 'S1', name: 'Sở Tư pháp', group: 'so' },
  { id: 3, code: 'X2', name: 'UBND xã Ba', group: 'xa' },
];
const satisfied: Record<number, [number, number, number, number]> = { 1: [3, 3, 2, 6], 2: [5, 4, 6, 6], 3: [7, 6, 7, 7] };
const report = buildIndexReport({
  definition: ONE_FIELD,
  units,
  counts: {
    responses: units.map((u) => ({ unitId: u.id, responses: satisfied[u.id]![3] })),
    criteria: units.flatMap((u) => ['E1.1', 'E1.2', 'E2.1'].map((criterionCode, k) => ({ unitId: u.id, criterionCode, ...counts(satisfied[u.id]![k]!, satisfied[u.id]![3]) }))),
    options: [],
  },
  groups: [
    { code: 'xa', label: 'UBND cấp xã', order: 20, rankSeparately: false },
    { code: 'so', label: 'Sở, ban, ngành', order: 10, rankSeparately: false },
  ],
  province: 'tỉnh Quảng Nam',
  period: { from: '2026-10-01', to: '2026-12-31', name: '2026-Q4' },
  generatedAt: new Date('2027-01-02T03:00:00Z'),
});

async function csv(locale: 'vi' | 'en'): Promise<Buffer> {
  const c = collector();
  await writeReportCsv(report, c.stream, locale);
  return c.done();
}

describe('the annex CSV', () => {
  it('locale=vi: BOM, ";" between cells, decimal comma', async () => {
    const bytes = await csv('vi');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\n')).toEqual([
      'Phần;Loại dòng;STT;Mã;Tên;Số phiếu hợp lệ;Yếu tố E1: Yếu tố E1 (%);Yếu tố E2: Yếu tố E2 (%);Chỉ số SIPAS (%);Xếp hạng trong nhóm;Ghi chú',
      'I;Chung của nhóm;;so;Sở, ban, ngành;6;75,00;100,00;87,50;;',
      'I;Đơn vị;1;S1;Sở Tư pháp;6;75,00;100,00;87,50;1;',
      'II;Chung của nhóm;;xa;UBND cấp xã;13;71,43;66,67;69,05;;',
      'II;Đơn vị;1;X2;UBND xã Ba;7;92,86;100,00;96,43;1;',
      'II;Đơn vị;2;X1;UBND xã Một, huyện Hai;6;50,00;33,33;41,67;2;',
      ';Chung toàn tỉnh;;;Chỉ số chung tỉnh Quảng Nam (trung bình các đơn vị);19;72,62;77,78;75,20;;',
      '',
    ]);
  });

  it('locale=en (the default): BOM, "," between cells, decimal point', async () => {
    const bytes = await csv('en');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\n')).toEqual([
      'Phần,Loại dòng,STT,Mã,Tên,Số phiếu hợp lệ,Yếu tố E1: Yếu tố E1 (%),Yếu tố E2: Yếu tố E2 (%),Chỉ số SIPAS (%),Xếp hạng trong nhóm,Ghi chú',
      'I,Chung của nhóm,,so,"Sở, ban, ngành",6,75.00,100.00,87.50,,',
      'I,Đơn vị,1,S1,Sở Tư pháp,6,75.00,100.00,87.50,1,',
      'II,Chung của nhóm,,xa,UBND cấp xã,13,71.43,66.67,69.05,,',
      'II,Đơn vị,1,X2,UBND xã Ba,7,92.86,100.00,96.43,1,',
      'II,Đơn vị,2,X1,"UBND xã Một, huyện Hai",6,50.00,33.33,41.67,2,',
      ',Chung toàn tỉnh,,,Chỉ số chung tỉnh Quảng Nam (trung bình các đơn vị),19,72.62,77.78,75.20,,',
      '',
    ]);
    const c = collector();
    await writeReportCsv(report, c.stream);
    expect(c.done()).toEqual(bytes);
  });
});
