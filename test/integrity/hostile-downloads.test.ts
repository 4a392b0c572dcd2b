import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { seedCompletedResponses } from '../support/seed-answers.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { waitUntil } from '../support/wait-until.js';

/*
 * Findings 4, 5, 7 and 9: hostile unit names and answers in CSV, Vietnamese group names in
 * download names, dates as people type them, personal details typed into comments.
 */
let product: Product;
const def = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2017' && d.version === 2)!;
const HOSTILE = ['=1+1', 'Tốt;=1+1', '@SUM(A1)', '\t=1+1', '\r=1+1', '-2+3', '+84 cmd'];
const units = [
  { code: 'H1', name: '=1+1', group: 'Sở' },
  { code: 'H2', name: 'Tốt;=1+1', group: 'Sở' },
  { code: 'H3', name: '@SUM(A1)', group: 'Sở' },
  { code: 'H4', name: '-2+3 xã', group: '+Xã' },
];

beforeAll(async () => {
  product = await startProduct({ REPORT_PERIOD: 'month', REPORT_MIN_CELL: '1' }, { now: () => new Date('2026-12-05T03:00:00Z') });
  expect((await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: units })).statusCode).toBe(200);
  const seeded = units.flatMap((u, i) =>
    HOSTILE.map((comment, k) => ({ unitCode: u.code, at: `2026-11-1${i}T03:00:00Z`, score: () => 3 + (k % 3), extra: { comment: `${comment} gọi 0912 345 678`, gender: 'nam' }, externalId: `${u.code}-${k}` })),
  );
  await seedCompletedResponses(product, def, seeded);
  await waitUntil(async () => (await product.db.prisma.response.count({ where: { status: 'completed' } })) === seeded.length, 'responses stored');
});
afterAll(async () => product?.stop());

const get = (url: string) => product.app!.inject({ method: 'GET', url, headers: adminHeaders });

/** Every cell of a CSV download, as a spreadsheet would split it. */
const cellsOf = (body: string, delimiter = ',') => (parse(body.replace(/^\uFEFF/, ''), { relax_column_count: true, delimiter }) as string[][]).flat();
const risky = (cell: string) => /^[=+\-@\t\r]/.test(cell) || /[;,]\s*[=+\-@\t\r]/.test(cell);

describe('CSV downloads cannot attack a spreadsheet', () => {
  it.each([
    ['csv', ','],
    ['csv&locale=vi', ';'],
    ['csv-long', ','],
  ])('the index report (format=%s): hostile unit names and groups open as text', async (format, delimiter) => {
    const res = await get(`/api/v1/reports/index?questionnaire=sipas-2017&period=2026-11&format=${format}`);
    expect(res.statusCode, res.body).toBe(200);
    const cells = cellsOf(res.body, delimiter);
    expect(cells.filter((c) => typeof c === 'string' && isNaN(Number(c.replace(',', '.'))) && risky(c))).toEqual([]);
    for (const expected of ["'=1+1", "Tốt;'=1+1", "'@SUM(A1)", "'-2+3 xã", "'+Xã"]) expect(cells).toContain(expected);
    expect(res.rawPayload.includes(Buffer.from("'=1+1"))).toBe(true);
  });

  it('microdata: hostile answers open as text, tab- and CR-led ones too, with phone numbers masked', async () => {
    const res = await get('/api/v1/responses/export?questionnaire=sipas-2017&period=2026-11&format=csv&text=1');
    expect(res.statusCode, res.body).toBe(200);
    const cells = cellsOf(res.body);
    expect(cells.filter((c) => isNaN(Number(c)) && risky(c))).toEqual([]);
    for (const expected of ["'=1+1 gọi [số điện thoại]", "Tốt;'=1+1 gọi [số điện thoại]", "'@SUM(A1) gọi [số điện thoại]", "'\t=1+1 gọi [số điện thoại]", "'\r=1+1 gọi [số điện thoại]"]) {
      expect(cells).toContain(expected);
    }
    expect(res.body).not.toContain('0912 345 678');
    // The bytes as a spreadsheet reads them: the CR-led answer is quoted and starts with an apostrophe.
    expect(res.rawPayload.includes(Buffer.from(`"'\r=1+1`))).toBe(true);
  });
});

describe('a Vietnamese group name in a download', () => {
  it('group=Sở works in every format, named with filename*', async () => {
    for (const format of ['json', 'csv', 'xlsx'] as const) {
      const res = await get(`/api/v1/reports/index?questionnaire=sipas-2017&period=2026-11&group=${encodeURIComponent('Sở')}&format=${format}`);
      expect(res.statusCode, `${format}: ${res.body.slice(0, 200)}`).toBe(200);
      if (format === 'json') {
        expect(res.json()).toMatchObject({ group: 'Sở', overall: { responses: 21 } });
        continue;
      }
      expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''sipas-index_sipas-2017_2026-11_S%E1%BB%9F.${format}`);
    }
    for (const format of ['csv', 'xlsx'] as const) {
      const res = await get(`/api/v1/responses/export?questionnaire=sipas-2017&period=2026-11&group=${encodeURIComponent('Sở')}&format=${format}`);
      expect(res.statusCode, format).toBe(200);
      expect(res.headers['content-disposition']).toContain("S%E1%BB%9F");
      if (format === 'xlsx') {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        expect(wb.worksheets[0]!.rowCount).toBe(22);
      }
    }
    // A quote in a group name cannot add a header parameter; an undefined group is a 400, not an empty download.
    const quoted = await get(`/api/v1/reports/index?questionnaire=sipas-2017&period=2026-11&group=${encodeURIComponent('a"; filename=x.exe')}&format=csv`);
    expect(quoted.statusCode).toBe(400);
    expect(quoted.json().error.message).toMatch(/group/);
  });
});

describe('report dates as people write them', () => {
  it('dd/mm/yyyy and yyyy-mm-dd work; anything else or out of range is a 400 naming the format', async () => {
    const vn = await get('/api/v1/reports/index?questionnaire=sipas-2017&from=01/11/2026&to=30/11/2026');
    expect(vn.statusCode, vn.body).toBe(200);
    expect(vn.json().period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect((await get('/api/v1/reports/index?questionnaire=sipas-2017&from=01/12/2026')).statusCode).toBe(200);
    for (const bad of ['0000-01-01', '2026-1-5', '2026-12-01T00:00', '31/02/2026', 'hôm qua', '1e3']) {
      for (const path of ['/api/v1/reports/index?questionnaire=sipas-2017', '/api/v1/responses/export?questionnaire=sipas-2017&format=csv']) {
        const res = await get(`${path}&from=${encodeURIComponent(bad)}`);
        expect(res.statusCode, `${path} ${bad}`).toBe(400);
        expect(res.json().error.message + JSON.stringify(res.json().error.details ?? [])).toMatch(/dd\/mm\/yyyy|whole period/);
      }
    }
  });
});
