import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import type { QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import type { TrendReport, UnitTrend } from '../../src/scoring/trend-schema.js';
import { insertResponses, storeQuestionnaire, type FakeResponse } from '../support/scoring-database.js';
import { fixtureDefinition, likert, questionOf } from '../support/scoring-fixtures.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { putUnits } from '../support/units.js';
import { seededRandom as random } from '../../src/core/seeded-random.js';

// Two versions of one instrument: version 2 drops element E2 (criterion E2.1) and adds E3 (E3.1).
const V1 = fixtureDefinition('fx-trend', [{ code: 'E1', children: [{ code: 'E1.1' }, { code: 'E1.2' }] }, { code: 'E2', children: [{ code: 'E2.1' }] }], false);
const V2: QuestionnaireDefinition = { ...fixtureDefinition('fx-trend', [{ code: 'E1', children: [{ code: 'E1.1' }, { code: 'E1.2' }] }, { code: 'E3', children: [{ code: 'E3.1' }] }], false), version: 2 };

type Distribution = [number, number, number, number, number];
const MOSTLY_3: Distribution = [0.05, 0.1, 0.6, 0.15, 0.1];
const MOSTLY_5: Distribution = [0.02, 0.03, 0.1, 0.25, 0.6];
const STEADY: Distribution = [0.05, 0.1, 0.2, 0.4, 0.25];

const level = (next: () => number, d: Distribution) => {
  let u = next();
  for (let l = 0; l < 4; l++) if ((u -= d[l]!) < 0) return l + 1;
  return 5;
};

let product: Product;
let viewer = '';
const unitIds = new Map<string, number>();
const get = (url: string, headers: Record<string, string> = adminHeaders) => product.app!.inject({ method: 'GET', url: `/api/v1${url}`, headers });
const asViewer = () => ({ authorization: `Bearer ${viewer}` });

async function respond(def: QuestionnaireDefinition, id: number, day: string, plan: [string, number, Distribution, number][]) {
  const responses: FakeResponse[] = [];
  for (const [unit, n, d, seed] of plan) {
    const next = random(seed);
    const codes = def.index.flatMap((e) => (e.children ?? []).map((c) => c.code));
    for (let i = 0; i < n; i++) responses.push({ unitId: unitIds.get(unit)!, day, status: 'completed', answers: codes.map((c) => likert(questionOf(c), level(next, d))) });
  }
  await insertResponses(product.db.prisma, { id, definition: def }, responses);
}

beforeAll(async () => {
  // Viewers read whole ended years; "now" is December 2026, so 2024 and 2025 have ended, 2026 has not.
  product = await startProduct({ REPORT_PERIOD: 'year' }, { now: () => new Date('2026-12-05T03:00:00Z') });
  await putUnits(product.app!, [
    { code: 'X1', name: 'UBND xã Một', group: 'xa' },
    { code: 'X2', name: 'UBND xã Hai', group: 'xa' },
    { code: 'S1', name: 'Sở Tư pháp', group: 'so' },
    { code: 'S2', name: 'Sở Y tế', group: 'so' },
    { code: 'S3', name: 'Sở Nội vụ', group: 'so' },
  ]);
  for (const u of await product.db.prisma.unit.findMany()) unitIds.set(u.code, u.id);
  const [v1, v2] = [await storeQuestionnaire(product.db.prisma, V1), await storeQuestionnaire(product.db.prisma, V2)];
  viewer = (await createApiKey(product.db.prisma, { name: 'viewer', role: 'viewer', unitCodes: [] })).key;
  // X1: mostly 3 → mostly 5 (200 a year); X2: the same distribution, other draws (100 a year); S1: 3 responses in 2024 (withheld).
  await respond(V1, v1, '2024-06-15', [['X1', 200, MOSTLY_3, 1], ['X2', 100, STEADY, 2], ['S1', 3, STEADY, 3], ['S2', 40, STEADY, 4], ['S3', 40, STEADY, 5]]);
  await respond(V1, v1, '2025-06-15', [['X1', 200, MOSTLY_5, 11], ['X2', 100, STEADY, 12], ['S1', 30, STEADY, 13], ['S2', 40, STEADY, 14], ['S3', 40, STEADY, 15]]);
  await respond(V2, v2, '2026-03-15', [['X1', 60, MOSTLY_5, 21], ['X2', 60, STEADY, 22], ['S2', 20, STEADY, 24], ['S3', 20, STEADY, 25]]);
  const round = (code: string, questionnaireId: number, opensOn: string, closesOn: string) =>
    product.db.prisma.round.create({ data: { code, name: `Đợt ${code}`, questionnaireId, opensOn: new Date(`${opensOn}T00:00:00Z`), closesOn: new Date(`${closesOn}T00:00:00Z`) } });
  await round('R2024', v1, '2024-01-01', '2024-12-31');
  await round('R2026', v2, '2026-01-01', '2026-12-31');
}, 120_000);
afterAll(async () => product?.stop());

const unit = (t: TrendReport, code: string): UnitTrend => t.units.find((u) => u.code === code)!;

describe('GET /api/v1/reports/trend', () => {
  it('compares two periods: a real change is significant, noise is not, withheld units have no change', async () => {
    const res = await get('/reports/trend?questionnaire=fx-trend@1&periods=2024,2025');
    expect(res.statusCode, res.body).toBe(200);
    const t = res.json() as TrendReport;
    expect([t.a.name, t.b.name, t.instrumentChanged]).toEqual(['2024', '2025', false]);
    expect(unit(t, 'X1').overall).toMatchObject({ significant: true });
    expect(unit(t, 'X1').overall.change!).toBeGreaterThan(40);
    expect(unit(t, 'X1').nodes.every((n) => n.significant)).toBe(true);
    expect(unit(t, 'X1').rank).toEqual({ a: 2, b: 1, change: 1 });
    expect(unit(t, 'X2').overall.significant).toBe(false);
    expect(unit(t, 'X2').nodes.some((n) => n.significant)).toBe(false);
    expect(unit(t, 'S1')).toMatchObject({ suppressed: true, overall: { change: null, significant: null } });
    expect(unit(t, 'S1').nodes.every((n) => n.change === null)).toBe(true);
    const audit = await product.db.prisma.auditLog.findFirst({ where: { action: 'report.download' }, orderBy: { id: 'desc' } });
    expect(audit!.details).toMatchObject({ kind: 'trend', questionnaire: ['fx-trend@1', 'fx-trend@1'], a: { period: '2024' }, b: { period: '2025' }, format: 'json' });
  });

  it('compares two rounds of changed instruments on the shared node codes only, and says which were left out', async () => {
    const t = (await get('/reports/trend?rounds=R2024,R2026')).json() as TrendReport;
    expect([t.a.name, t.b.name, t.instrumentChanged]).toEqual(['round-R2024', 'round-R2026', true]);
    expect([t.a.questionnaire.version, t.b.questionnaire.version]).toEqual([1, 2]);
    expect(t.leftOut.map((n) => `${n.onlyIn}:${n.code}`)).toEqual(['a:E2', 'a:E2.1', 'b:E3', 'b:E3.1']);
    expect(unit(t, 'X1').nodes.map((n) => n.code)).toEqual(['E1', 'E1.1', 'E1.2']);
    expect(unit(t, 'X1').overall.significant).toBe(true);
    expect((await get('/reports/trend?questionnaire=other&rounds=R2024,R2026')).statusCode).toBe(400);
  });

  it('holds viewers to whole ended periods and ended rounds, without filters', async () => {
    expect((await get('/reports/trend?questionnaire=fx-trend@1&periods=2024,2025', asViewer())).statusCode).toBe(200);
    const notEnded = await get('/reports/trend?questionnaire=fx-trend@1&periods=2025,2026', asViewer());
    expect(notEnded.statusCode).toBe(400);
    expect(notEnded.json().error.message).toMatch(/has not ended/);
    expect((await get('/reports/trend?questionnaire=fx-trend@1&periods=2025-Q1,2025-Q2', asViewer())).statusCode).toBe(400);
    expect((await get('/reports/trend?questionnaire=fx-trend@1&periods=2024,2025&source=open', asViewer())).statusCode).toBe(403);
    expect((await get('/reports/trend?rounds=R2024,R2026', asViewer())).statusCode).toBe(400);
    expect((await get('/reports/trend?rounds=R2024,R2026')).statusCode).toBe(200);
  });

  it('refuses malformed pairs, unknown rounds and groups', async () => {
    expect((await get('/reports/trend?rounds=R2024')).statusCode).toBe(400);
    expect((await get('/reports/trend?periods=2024,2025&rounds=R2024,R2026')).statusCode).toBe(400);
    expect((await get('/reports/trend')).statusCode).toBe(400);
    expect((await get('/reports/trend?periods=2024,nope')).statusCode).toBe(400);
    expect((await get('/reports/trend?rounds=R2024,NOPE')).statusCode).toBe(404);
    expect((await get('/reports/trend?questionnaire=fx-trend@1&periods=2024,2025&group=made-up')).statusCode).toBe(400);
  });

  it('downloads the same figures as a workbook with a trend and a per-criterion sheet', async () => {
    const json = (await get('/reports/trend?questionnaire=fx-trend@1&periods=2024,2025&group=xa')).json() as TrendReport;
    const res = await get('/reports/trend?questionnaire=fx-trend@1&periods=2024,2025&group=xa&format=xlsx');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain('sipas-trend_fx-trend_2024_2025_xa.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Xu hướng')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'STT', 'Mã đơn vị', 'Đơn vị', 'Nhóm đơn vị', 'Chỉ số Kỳ 2024 (%)', 'Chỉ số Kỳ 2025 (%)', 'Thay đổi (điểm)', 'Có ý nghĩa thống kê (95%)', 'Hạng Kỳ 2024', 'Hạng Kỳ 2025', 'Thay đổi hạng', 'Ghi chú']);
    const rows = new Map<string, unknown[]>();
    sheet.eachRow((row, i) => i > 1 && rows.set(String(row.getCell(2).value ?? row.getCell(3).value), (row.values as unknown[]).slice(1)));
    const x1 = unit(json, 'X1');
    expect(rows.get('X1')).toEqual([1, 'X1', 'UBND xã Một', 'xa', x1.overall.a, x1.overall.b, x1.overall.change, 'Có', 2, 1, 1]);
    expect(rows.get('X2')![7]).toBe('Không');
    const criteria = wb.getWorksheet('Theo tiêu chí')!;
    expect(criteria.rowCount).toBe(1 + (json.units.length + json.groups.length + 1) * 5);
    expect(criteria.getRow(2).values).toEqual([undefined, 'X1', 'UBND xã Một', 'xa', 'Yếu tố', 'E1', 'Yếu tố E1', x1.nodes[0]!.a, x1.nodes[0]!.b, x1.nodes[0]!.change, 'Có']);
  });
});
