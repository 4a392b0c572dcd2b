import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import type { ProcedureReport } from '../../src/scoring/procedure-report-schema.js';
import type { IndexReport } from '../../src/scoring/report-schema.js';
import { insertResponses, storeQuestionnaire, type FakeResponse } from '../support/scoring-database.js';
import { likert, questionOf, TWO_FIELDS } from '../support/scoring-fixtures.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { putUnits } from '../support/units.js';

/*
 * The per-procedure breakdown over the HTTP API. November: three units, five procedures in
 * two fields (P5 outside the catalogue), every figure computable by hand (a respondent
 * rates every criterion 5 or 2, so each index is the share of satisfied respondents).
 * October: a unit with one respondent (the victim, who rated everything 1), as in the
 * differencing attacks on units, now attacked through the procedure breakdowns.
 */
let product: Product;
let viewer: { authorization: string };
let unitIds: Record<string, number> = {};
const CRITERIA = ['A1.1', 'A1.2', 'A2.1', 'B1.1', 'B2.1', 'B2.2'];

/** `n` responses of `unit` about `procedure`, the first `satisfied` rating everything 5, the rest 2. */
const responses = (unit: string, procedure: string | null, n: number, satisfied: number, day: string, extra: Partial<FakeResponse> = {}): FakeResponse[] =>
  Array.from({ length: n }, (_, i) => ({
    unitId: unitIds[unit]!,
    day,
    status: 'completed',
    procedureCode: procedure,
    answers: CRITERIA.map((c) => likert(questionOf(c), i < satisfied ? 5 : 2)),
    ...extra,
  }));

beforeAll(async () => {
  product = await startProduct({ REPORT_PERIOD: 'month', REPORT_MIN_CELL: '5' }, { worker: false, now: () => new Date('2026-12-05T03:00:00Z') });
  await putUnits(product.app!, [
    { code: 'U1', name: 'Sở Tư pháp', group: 'so' },
    { code: 'U2', name: 'Sở Tài nguyên và Môi trường', group: 'so' },
    { code: 'U3', name: 'UBND xã Tân An', group: 'xa' },
    { code: 'H1', name: 'UBND huyện Một', group: 'huyen' },
  ]);
  unitIds = Object.fromEntries((await product.db.prisma.unit.findMany()).map((u) => [u.code, u.id]));
  viewer = { authorization: `Bearer ${(await createApiKey(product.db.prisma, { name: 'viewer', role: 'viewer', unitCodes: [] })).key}` };
  const csv = ['Mã thủ tục;Tên thủ tục;Lĩnh vực', 'P1;Đăng ký khai sinh;Hộ tịch', 'P2;Đăng ký kết hôn;Hộ tịch', 'P3;Cấp Giấy chứng nhận quyền sử dụng đất;Đất đai', 'P4;Đăng ký biến động đất đai;Đất đai'].join('\r\n');
  const put = await product.app!.inject({ method: 'PUT', url: '/api/v1/procedures', headers: { ...adminHeaders, 'content-type': 'text/csv' }, payload: csv });
  expect(put.statusCode, put.body).toBe(200);
  expect(put.json()).toEqual({ created: 4, updated: 0, total: 4 });

  const id = await storeQuestionnaire(product.db.prisma, TWO_FIELDS);
  const q = { id, definition: TWO_FIELDS };
  const nov = '2026-11-12';
  await insertResponses(product.db.prisma, q, [
    ...responses('U1', 'P1', 10, 8, nov),
    ...responses('U1', 'P2', 6, 3, nov),
    ...responses('U1', 'P3', 2, 1, nov),
    ...responses('U1', 'P4', 12, 9, nov),
    ...responses('U2', 'P1', 7, 7, nov),
    ...responses('U2', 'P4', 9, 0, nov),
    ...responses('U2', 'P5', 5, 5, nov),
    ...responses('U3', 'P2', 8, 4, nov),
    ...responses('U3', 'P3', 6, 6, nov),
    ...responses('U3', 'P4', 7, 2, nov),
    // Test data: would lift U1's P3 over the minimum cell if it were counted.
    ...responses('U1', 'P3', 5, 5, nov, { test: true }),
    // Not completed, and (below) not counted (a second response of the same person): never in any figure.
    ...responses('U1', 'P3', 4, 4, nov, { status: 'in_progress' }),
  ]);
  // Not rolled up, as the answers worker does not roll up responses it does not count.
  await insertResponses(product.db.prisma, q, responses('U1', 'P1', 1, 1, '2026-11-13'), { rollups: false });
  await product.db.prisma.response.updateMany({ where: { completedDay: new Date('2026-11-13') }, data: { counted: false } });

  const oct = '2026-10-14';
  await insertResponses(product.db.prisma, q, [
    ...responses('U1', 'P1', 12, 10, oct),
    ...responses('U1', 'P2', 9, 5, oct),
    ...responses('U2', 'P1', 8, 4, oct),
    ...responses('U2', 'P3', 10, 7, oct),
    ...responses('U3', 'P2', 7, 7, oct),
    ...responses('U3', 'P4', 9, 2, oct),
    // The victim: the only respondent of H1 (and of its group), who did P1 and rated everything 1.
    { unitId: unitIds.H1!, day: oct, status: 'completed', procedureCode: 'P1', answers: CRITERIA.map((c) => likert(questionOf(c), 1)) },
  ]);
});
afterAll(async () => product?.stop());

const get = async (query: string, headers: Record<string, string> = adminHeaders) => {
  const res = await product.app!.inject({ method: 'GET', url: `/api/v1/reports/procedures?questionnaire=fx-two&${query}`, headers });
  const json = /json/.test(String(res.headers['content-type'])) ? res.json() : null;
  return { status: res.statusCode, body: json as ProcedureReport & { error?: { message: string } }, raw: res };
};
const row = (r: ProcedureReport, code: string | null) => r.rows.find((x) => x.code === code)!;

describe('PUT/GET /api/v1/procedures', () => {
  it('validates every row, reports each bad one and saves nothing unless all are valid', async () => {
    const bad = await product.app!.inject({
      method: 'PUT', url: '/api/v1/procedures', headers: adminHeaders,
      payload: { procedures: [{ code: 'P9', name: 'Thủ tục chín', field: 'Tư pháp' }, { code: 'P10', name: '', field: 'Tư pháp' }, { code: 'P9', name: 'Lặp', field: 'Tư pháp' }, { code: 'P11', name: 'Thiếu lĩnh vực' }] },
    });
    expect(bad.statusCode).toBe(422);
    expect((bad.json() as { error: { details: { row: number }[] } }).error.details.map((d) => d.row)).toEqual([2, 3, 4]);
    expect(await product.db.prisma.procedure.count({ where: { code: { in: ['P9', 'P10', 'P11'] } } })).toBe(0);

    const viewerPut = await product.app!.inject({ method: 'PUT', url: '/api/v1/procedures', headers: viewer, payload: [] });
    expect(viewerPut.statusCode).toBe(403);
    const list = await product.app!.inject({ method: 'GET', url: '/api/v1/procedures', headers: viewer });
    expect(list.statusCode).toBe(200);
    expect((list.json() as { procedures: unknown[] }).procedures).toEqual([
      { code: 'P3', name: 'Cấp Giấy chứng nhận quyền sử dụng đất', field: 'Đất đai' },
      { code: 'P4', name: 'Đăng ký biến động đất đai', field: 'Đất đai' },
      { code: 'P1', name: 'Đăng ký khai sinh', field: 'Hộ tịch' },
      { code: 'P2', name: 'Đăng ký kết hôn', field: 'Hộ tịch' },
    ].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : a.code < b.code ? -1 : 1)));
    expect(await product.db.prisma.auditLog.count({ where: { action: 'procedures.upsert' } })).toBe(1);
  });
});

describe('GET /api/v1/reports/procedures', () => {
  it('gives each procedure of a unit its hand-computed index and withholds the small ones as units are withheld', async () => {
    const r = await get('period=2026-11&unit=U1');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    // U1: P1 10 counted, 8 satisfied; P2 6 (3); P3 2 (1), low; P4 12 (9). Test data and the uncounted response left out.
    expect(r.body.unit).toEqual({ code: 'U1', name: 'Sở Tư pháp', group: 'so' });
    expect(r.body.total).toMatchObject({ responses: 30, suppressed: false });
    expect(r.body.total.index).toBeCloseTo(70, 10);
    expect(r.body.rows.map((x) => x.code)).toEqual(['P3', 'P4', 'P1', 'P2', 'P5']);
    expect(row(r.body, 'P1')).toMatchObject({ name: 'Đăng ký khai sinh', field: 'Hộ tịch', responses: 10, index: 80, suppressed: false });
    expect(row(r.body, 'P1').nodes.map((n) => n.index)).toEqual([80, 80]);
    expect(row(r.body, 'P3')).toMatchObject({ responses: null, index: null, ci: null, lowSample: true, suppressed: true });
    // P3 is with P4 in "Đất đai": the field's smallest other procedure is withheld with it, as a group's smallest unit is;
    // P4's overall cell minus the other units' P4 cells would give it back, so more cells are withheld with them.
    expect(row(r.body, 'P4')).toMatchObject({ responses: null, lowSample: false, suppressed: true });
    expect(row(r.body, 'P2')).toMatchObject({ responses: null, lowSample: false, suppressed: true });
    const u3 = (await get('period=2026-11&unit=U3')).body;
    expect(row(u3, 'P2')).toMatchObject({ responses: 8, index: 50, suppressed: false });
    expect(row(u3, 'P3')).toMatchObject({ responses: null, lowSample: false, suppressed: true });
    expect(row(u3, 'P4')).toMatchObject({ responses: null, lowSample: false, suppressed: true });
    // P5 was answered elsewhere only: listed in every scope, withheld here like any empty cell.
    expect(row(r.body, 'P5')).toMatchObject({ name: 'P5', field: null, responses: null, lowSample: true, suppressed: true });
    const published = r.body.rows.filter((x) => x.responses !== null).reduce((n, x) => n + x.responses!, 0);
    expect(r.body.total.responses! - published).toBeGreaterThanOrEqual(5);

    // The unit's total is the index report's unit figure.
    const index = await product.app!.inject({ method: 'GET', url: '/api/v1/reports/index?questionnaire=fx-two&period=2026-11&total=pooled', headers: adminHeaders });
    const u1 = (index.json() as IndexReport).units.find((u) => u.code === 'U1')!;
    expect(u1.responses).toBe(30);
    expect(r.body.total.index).toBeCloseTo(u1.index!, 10);
  });

  it('groups by the catalogue\'s fields with by=field, unknown codes under "Chưa phân loại"', async () => {
    const r = await get('period=2026-11&by=field');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.unit).toBeNull();
    expect(r.body.rows.map((x) => x.name)).toEqual(['Đất đai', 'Hộ tịch', 'Chưa phân loại']);
    // Hộ tịch: P1 10+7 (8+7 satisfied), P2 6+8 (3+4); Đất đai: P3 2+6 (1+6), P4 12+9+7 (9+0+2); unclassified: P5 5 (5).
    expect(row(r.body, 'Hộ tịch')).toMatchObject({ responses: 31, suppressed: false });
    expect(row(r.body, 'Hộ tịch').index).toBeCloseTo((100 * 22) / 31, 10);
    expect(row(r.body, 'Đất đai')).toMatchObject({ responses: 36, index: 50, suppressed: false });
    expect(row(r.body, null)).toMatchObject({ name: 'Chưa phân loại', field: null, responses: 5, index: 100, suppressed: false });
    expect(r.body.total).toMatchObject({ responses: 72, index: 62.5 });

    const csv = await get('period=2026-11&by=field&format=csv&locale=vi');
    expect(csv.status).toBe(200);
    expect(csv.raw.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(csv.raw.body.replace(/^\uFEFF/, ''), { delimiter: ';' }) as string[][];
    expect(rows[0]!.slice(0, 6)).toEqual(['STT', 'Lĩnh vực', 'Tên lĩnh vực', 'Lĩnh vực', 'Số phiếu hợp lệ', 'Chỉ số SIPAS (%)']);
    expect(rows[2]!.slice(0, 6)).toEqual(['2', 'Hộ tịch', 'Hộ tịch', 'Hộ tịch', '31', '70,97']);
    expect(rows.at(-1)!.slice(2, 6)).toEqual(['Chung toàn tỉnh', '', '72', '62,50']);
  });

  it('counts test data only when an administrator asks for it', async () => {
    const withTest = await get('period=2026-11&unit=U1&test=include');
    expect(withTest.status).toBe(200);
    expect(row(withTest.body, 'P3')).toMatchObject({ responses: 7, lowSample: false });
    expect(withTest.body.total.responses).toBe(35);
    expect((await get('period=2026-11&unit=U1&test=include', viewer)).status).toBe(403);
  });

  it('holds viewers to whole ended periods, as the index report does', async () => {
    expect((await get('period=2026-11&unit=U1', viewer)).status).toBe(200);
    for (const query of ['from=2026-11-01&to=2026-11-20', 'period=2026-12', 'period=2026-Q4', 'source=invited', 'quality=exclude_flagged']) {
      const r = await get(`${query}&unit=U1`, viewer);
      expect([400, 403], query).toContain(r.status);
    }
    // Without a period, the latest ended month (November).
    expect((await get('unit=U1', viewer)).body.periodName).toBe('2026-11');
    expect((await get('period=2026-11&unit=NOPE')).status).toBe(400);
    expect((await get('period=2026-11&group=so')).status).toBe(400);
    expect((await get('from=2026-11-10&to=2026-11-20&unit=U1')).status).toBe(200);
    const audit = await product.db.prisma.auditLog.findFirst({ where: { action: 'report.procedures.download' }, orderBy: { at: 'desc' } });
    expect(audit?.details).toMatchObject({ from: '2026-11-10', to: '2026-11-20', freeRange: true, unit: 'U1', by: 'procedure' });
  });
});

type Vector = Map<string, number>;
type Cell = { responses: number | null; nodes: ProcedureReport['total']['nodes'] };

/** Everything a published cell counts: responses and answers per level of every criterion. */
function vectorOf(cell: Cell): Vector | null {
  if (cell.responses === null) return null;
  const v: Vector = new Map([['responses', cell.responses]]);
  const walk = (nodes: Cell['nodes']) => {
    for (const n of nodes) {
      if (n.counts) for (const [level, c] of Object.entries(n.counts)) v.set(`${n.code}:${level}`, c);
      if (n.children) walk(n.children);
    }
  };
  walk(cell.nodes);
  return v;
}
const minus = (a: Vector, bs: (Vector | null)[]) => {
  const out = new Map(a);
  for (const b of bs) if (b) for (const [k, n] of b) out.set(k, (out.get(k) ?? 0) - n);
  return out;
};
const isolatesSomeone = (v: Vector) => v.get('responses')! > 0 && v.get('responses')! < 5;

describe('the differencing attacks recover nothing through the breakdowns (October, viewer key)', () => {
  const reports: Record<string, ProcedureReport> = {};
  beforeAll(async () => {
    for (const by of ['procedure', 'field']) {
      for (const unit of ['', 'U1', 'U2', 'U3', 'H1']) {
        const r = await get(`period=2026-10&by=${by}${unit ? `&unit=${unit}` : ''}`, viewer);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        reports[`${by}:${unit || '*'}`] = r.body;
      }
    }
  });

  it("the victim's unit breakdown publishes nothing", () => {
    for (const by of ['procedure', 'field']) {
      const h1 = reports[`${by}:H1`]!;
      expect(h1.total).toMatchObject({ responses: null, index: null, suppressed: true });
      for (const x of h1.rows) expect(x).toMatchObject({ responses: null, index: null, suppressed: true });
    }
  });

  it('no scope total minus its published rows, and no overall row minus the units\' rows, singles anyone out', () => {
    const units = ['U1', 'U2', 'U3', 'H1'];
    for (const by of ['procedure', 'field']) {
      for (const scope of ['*', ...units]) {
        const r = reports[`${by}:${scope}`]!;
        const total = vectorOf(r.total);
        if (total) expect(isolatesSomeone(minus(total, r.rows.map(vectorOf))), `${by} ${scope}`).toBe(false);
      }
      const overall = reports[`${by}:*`]!;
      for (const x of overall.rows) {
        const v = vectorOf(x);
        if (!v) continue;
        const parts = units.map((u) => vectorOf(row(reports[`${by}:${u}`]!, x.code)));
        expect(isolatesSomeone(minus(v, parts)), `${by} ${x.code}`).toBe(false);
      }
    }
    // A field minus its published procedures, in every scope.
    for (const scope of ['*', ...units]) {
      const fields = reports[`field:${scope}`]!;
      const procedures = reports[`procedure:${scope}`]!;
      for (const f of fields.rows) {
        const v = vectorOf(f);
        if (v) expect(isolatesSomeone(minus(v, procedures.rows.filter((p) => p.field === f.code).map(vectorOf))), `${scope} ${f.name}`).toBe(false);
      }
    }
  });

  it("P1 across units minus the index report's published units cannot be subtracted down to the victim", async () => {
    const index = await product.app!.inject({ method: 'GET', url: '/api/v1/reports/index?questionnaire=fx-two&period=2026-10&total=pooled', headers: viewer });
    const report = index.json() as IndexReport;
    expect(report.units.find((u) => u.code === 'H1')).toMatchObject({ responses: null, suppressed: true });
    // What P1's overall cell publishes, minus every unit's published P1 cell: never the victim alone.
    const p1 = vectorOf(row(reports['procedure:*']!, 'P1'));
    expect(p1).not.toBeNull();
    if (p1) expect(isolatesSomeone(minus(p1, ['U1', 'U2', 'U3'].map((u) => vectorOf(row(reports[`procedure:${u}`]!, 'P1')))))).toBe(false);
    // The victim's 1s show in no published cell that holds fewer than 5 responses.
    for (const r of Object.values(reports)) for (const x of [r.total, ...r.rows]) if (x.responses !== null) expect(x.responses).toBeGreaterThanOrEqual(5);
  });
});
