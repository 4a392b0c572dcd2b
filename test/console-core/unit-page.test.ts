import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProcedureReport } from '../../src/scoring/procedure-report-schema.js';
import { wilsonInterval } from '../../src/scoring/wilson-interval.js';
import { createUser } from '../../src/users/user-store.js';
import { insertResponses, storeQuestionnaire, type FakeResponse } from '../support/scoring-database.js';
import { chose, fixtureDefinition, likert, questionOf } from '../support/scoring-fixtures.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { putUnits } from '../support/units.js';

// Two fields (A: element A1 with two criteria; B: element B1 with one), plus the fixture's option questions.
const DEF = fixtureDefinition('fx-unit', [
  { code: 'A', children: [{ code: 'A1', children: [{ code: 'A1.1' }, { code: 'A1.2' }] }] },
  { code: 'B', children: [{ code: 'B1', children: [{ code: 'B1.1' }] }] },
]);
const CRITERIA = ['A1.1', 'A1.2', 'B1.1'];

let product: Product;
const cookies = new Map<string, string>();

async function signIn(username: string): Promise<string> {
  const form = await product.app!.inject({ method: 'GET', url: '/login' });
  const jar = form.cookies.map((c) => `${c.name}=${c.value}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const login = await product.app!.inject({
    method: 'POST', url: '/login', headers: { cookie: jar.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username, password: `mat-khau-${username}-01`, _csrf: csrf }).toString(),
  });
  expect(login.statusCode).toBe(303);
  return `sipas_session=${login.cookies.find((c) => c.name === 'sipas_session')!.value}`;
}

async function pageAs(username: string, url: string): Promise<{ status: number; body: string }> {
  if (!cookies.has(username)) cookies.set(username, await signIn(username));
  const res = await product.app!.inject({ method: 'GET', url, headers: { cookie: cookies.get(username)! } });
  return { status: res.statusCode, body: res.body };
}

/** `n` responses of `unit` on `day`, `satisfied` of them rating every criterion 5 and the rest 3; every second one names procedure `procedure`. */
function responses(unitId: number, day: string, n: number, satisfied: number, procedure: (i: number) => string | null): FakeResponse[] {
  return Array.from({ length: n }, (_, i) => ({
    unitId, day, status: 'completed' as const, procedureCode: procedure(i),
    answers: [...CRITERIA.map((c) => likert(questionOf(c), i < satisfied ? 5 : 3)), chose('channel', i % 2 ? ['web', 'tv'] : ['web']), chose('harass', i < 2)],
  }));
}

const pct2 = (v: number) => `${v.toFixed(2).replace('.', ',')}%`;
const ciText = (s: number, n: number) => {
  const i = wilsonInterval(s, n)!;
  return `${i.low.toFixed(2).replace('.', ',')}–${i.high.toFixed(2).replace('.', ',')}%`;
};

beforeAll(async () => {
  // Viewers read whole ended years; "now" is December 2026, so 2025 is the latest ended one.
  product = await startProduct({ REPORT_PERIOD: 'year', REPORT_MIN_CELL: '5' }, { worker: false, now: () => new Date('2026-12-05T03:00:00Z') });
  await putUnits(product.app!, [
    { code: 'X1', name: 'UBND xã Một', group: 'xa' },
    { code: 'X2', name: 'UBND xã Hai', group: 'xa' },
    { code: 'S1', name: 'Sở Tư pháp', group: 'so' },
    { code: 'S2', name: 'Sở Y tế', group: 'so' },
  ]);
  const ids = new Map((await product.db.prisma.unit.findMany()).map((u) => [u.code, u.id]));
  const qid = await storeQuestionnaire(product.db.prisma, DEF);
  const round = (code: string, opensOn: string, closesOn: string) =>
    product.db.prisma.round.create({ data: { code, name: `Đợt ${code}`, questionnaireId: qid, opensOn: new Date(`${opensOn}T00:00:00Z`), closesOn: new Date(`${closesOn}T00:00:00Z`) } });
  await round('R25A', '2025-03-01', '2025-05-31');
  await round('R25B', '2025-09-01', '2025-11-30');
  await round('R26', '2026-11-01', '2026-12-31');
  await insertResponses(product.db.prisma, { id: qid, definition: DEF }, [
    // X1: 4 of 10 satisfied in the first round, 9 of 10 in the second; 2 responses in the second name procedure P2 (a withheld cell).
    ...responses(ids.get('X1')!, '2025-04-15', 10, 4, () => 'P1'),
    ...responses(ids.get('X1')!, '2025-10-15', 10, 9, (i) => (i < 2 ? 'P2' : 'P1')),
    ...responses(ids.get('X1')!, '2026-11-15', 6, 6, () => 'P1'),
    ...responses(ids.get('X2')!, '2025-04-15', 10, 5, () => null),
    ...responses(ids.get('X2')!, '2025-10-15', 10, 5, () => null),
    // S1: three responses, fewer than the minimum cell (S2 is then withheld too, so that the group total cannot reveal S1).
    ...responses(ids.get('S1')!, '2025-04-15', 3, 3, () => null),
    ...responses(ids.get('S2')!, '2025-04-15', 10, 5, () => null),
    ...responses(ids.get('S2')!, '2025-10-15', 10, 5, () => null),
  ]);
  const users = [
    { username: 'admin', role: 'admin' as const, unitCodes: [] },
    { username: 'canbo', role: 'officer' as const, unitCodes: ['X1'] },
    { username: 'xem', role: 'viewer' as const, unitCodes: [] },
  ];
  for (const u of users) await createUser(product.db.prisma, { ...u, displayName: `Người ${u.username}`, password: `mat-khau-${u.username}-01` });
}, 120_000);
afterAll(async () => product?.stop());

describe('unit page /units/:code', () => {
  it('shows the latest ended period’s index tree: overall, fields, elements, criteria with valid answers and Wilson intervals', async () => {
    const { status, body } = await pageAs('admin', '/units/X1');
    expect(status, body).toBe(200);
    expect(body).toContain('<title>Đơn vị: UBND xã Một · SIPAS</title>');
    expect(body).toContain('Chỉ số hài lòng · Năm 2025');
    expect(body).toContain('Từ 01/01/2025 đến 31/12/2025');
    // 13 of 20 answers satisfied on every criterion: 65 %, Wilson interval, n = 20 per criterion, 40 ratings for element A1.
    for (const c of CRITERIA) {
      expect(body).toMatch(new RegExp(`<th scope="row" class="indent-3">${c.replace('.', '\\.')}\\. Tiêu chí ${c.replace('.', '\\.')}</th>\\s*<td>Tiêu chí</td>\\s*<td class="num">65,00%</td>\\s*<td class="num">${ciText(13, 20)}</td>\\s*<td class="num">20</td>`));
    }
    expect(body).toMatch(/<th scope="row" class="indent-1">A\. Lĩnh vực A<\/th>\s*<td>Lĩnh vực<\/td>\s*<td class="num">65,00%<\/td>/);
    expect(body).toMatch(/<th scope="row" class="indent-2">A1\. Yếu tố A1<\/th>\s*<td>Yếu tố<\/td>\s*<td class="num">65,00%<\/td>\s*<td class="num">[^<]+<\/td>\s*<td class="num">40<\/td>/);
    expect(body).toMatch(/<p class="muted">Phiếu được tính<\/p>\s*<p class="value">20<\/p>/);
    expect(body).toContain(pct2(65));
  });

  it('shows perception shares (not profile or overall) as labelled bar charts with their tables, and the per-procedure breakdown as the API withholds it', async () => {
    const { body } = await pageAs('admin', '/units/X1');
    expect(body).toContain('Câu channel: Kênh tìm hiểu thông tin');
    expect(body).toContain('Câu harass: Có bị gây phiền hà không?');
    expect(body).not.toContain('Câu gender');
    expect(body).not.toContain('Câu overall');
    // Every response chose "web", every second one also "tv"; 4 of 20 said yes (2 per round).
    expect(body).toMatch(/<th scope="row">Cổng thông tin<\/th>\s*<td class="num">20<\/td>\s*<td class="num">100,0%<\/td>/);
    expect(body).toMatch(/<th scope="row">Truyền hình<\/th>\s*<td class="num">10<\/td>\s*<td class="num">50,0%<\/td>/);
    expect(body).toMatch(/<th scope="row">Có<\/th>\s*<td class="num">4<\/td>\s*<td class="num">20,0%<\/td>/);
    const svgs = body.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
    // Elements, trend, and one chart per perception question.
    expect(svgs).toHaveLength(4);
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg role="img" aria-label="Biểu đồ/);
      expect(svg).not.toMatch(/style=|<style|<script/);
    }
    const api = await product.app!.inject({ method: 'GET', url: '/api/v1/reports/procedures?unit=X1&period=2025&questionnaire=fx-unit', headers: adminHeaders });
    const report = api.json() as ProcedureReport;
    const p2 = report.rows.find((r) => r.code === 'P2')!;
    expect(p2.suppressed).toBe(true);
    for (const r of report.rows) {
      const shown = r.suppressed ? '—' : String(r.responses);
      expect(body).toMatch(new RegExp(`<th scope="row">${r.name}</th>\\s*<td>Chưa phân loại</td>\\s*<td class="num">${shown}</td>`));
    }
    expect(body).toContain('“—”: không công bố vì dưới 5 phiếu');
  });

  it('withholds a unit below the minimum cell: no indices, no counts, no shares, with a note', async () => {
    const { status, body } = await pageAs('admin', '/units/S1');
    expect(status).toBe(200);
    expect(body).toContain('Dưới 5 phiếu: ẩn số liệu để bảo vệ danh tính người trả lời');
    expect(body).toMatch(/<p class="muted">Chỉ số chung<\/p>\s*<p class="value">—<\/p>/);
    expect(body).toMatch(/<p class="muted">Phiếu được tính<\/p>\s*<p class="value">—<\/p>/);
    expect(body).toMatch(/<th scope="row" class="indent-3">A1\.1\. Tiêu chí A1\.1<\/th>\s*<td>Tiêu chí<\/td>\s*<td class="num">—<\/td>\s*<td class="num">—<\/td>\s*<td class="num">—<\/td>/);
    expect(body).toContain('Tỷ lệ lựa chọn không công bố');
    expect(body).toMatch(/<th scope="row">Mọi phương án<\/th>\s*<td class="num">—<\/td>/);
    expect(body).not.toMatch(/<svg /);
  });

  it('shows the trend over the rounds with the change from the round before', async () => {
    const { body } = await pageAs('admin', '/units/X1');
    expect(body).toContain('Xu hướng qua các đợt khảo sát');
    expect(body).toMatch(/<th scope="row"><span>Đợt R25A \(R25A\)<\/span><br\/><span class="muted">01\/03\/2025 – 31\/05\/2025<\/span><\/th>\s*<td class="num">10<\/td>\s*<td class="num">40,00%<\/td>\s*<td class="num">[^<]+<\/td>\s*<td class="num">—<\/td>/);
    expect(body).toMatch(/<th scope="row"><span>Đợt R25B \(R25B\)<\/span><br\/><span class="muted">01\/09\/2025 – 30\/11\/2025<\/span><\/th>\s*<td class="num">10<\/td>\s*<td class="num">90,00%<\/td>\s*<td class="num">[^<]+<\/td>\s*<td class="num">\+50,00 điểm<\/td>\s*<td>Có<\/td>/);
    // Administrators also see the round still running.
    expect(body).toContain('<span>Đợt R26 (R26)</span><br/><span class="muted">01/11/2026 – 31/12/2026</span>');
    expect(body).toMatch(/aria-label="Biểu đồ đường: chỉ số hài lòng chung của đơn vị qua các đợt/);
    // Chart labels with a decimal comma, as the tables.
    expect(body).toMatch(/>90,0<\/text>/);
    expect(body).not.toMatch(/>90\.0*<\/text>/);
  });

  it('reads a round when one is chosen', async () => {
    const { status, body } = await pageAs('admin', '/units/X1?round=R25B&period=&questionnaire=fx-unit');
    expect(status, body).toBe(200);
    expect(body).toContain('Chỉ số hài lòng · Đợt R25B (R25B, 01/09/2025 – 30/11/2025)');
    expect(body).toMatch(/<p class="muted">Chỉ số chung<\/p>\s*<p class="value">90,00%<\/p>/);
    expect(body).toMatch(/<option value="R25B" selected>/);
  });

  it('holds viewers to whole ended periods and ended rounds, as the API does', async () => {
    const ok = await pageAs('xem', '/units/X1');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('Chỉ số hài lòng · Năm 2025');
    // The running round is neither offered nor in the trend.
    expect(ok.body).not.toContain('R26');
    const running = await pageAs('xem', '/units/X1?round=R26');
    expect(running.status).toBe(400);
    expect(running.body).toContain('Đợt R26 chưa kết thúc; số liệu của đợt được xem từ ngày sau 31/12/2026.');
    const year = await pageAs('xem', '/units/X1?period=2026');
    expect(year.status).toBe(400);
    expect(year.body).toContain('Kỳ 2026 chưa kết thúc');
    const quarter = await pageAs('xem', '/units/X1?period=2025-Q2');
    expect(quarter.status).toBe(400);
    expect(quarter.body).toContain('Số liệu chỉ xem theo cả năm, ví dụ 2025.');
    // Administrators may read a quarter and the running round.
    expect((await pageAs('admin', '/units/X1?period=2025-Q2')).status).toBe(200);
    expect((await pageAs('admin', '/units/X1?round=R26')).status).toBe(200);
  });

  it('says what is wrong with a malformed selection', async () => {
    const both = await pageAs('admin', '/units/X1?round=R25A&period=2025');
    expect(both.status).toBe(400);
    expect(both.body).toContain('Chọn một đợt khảo sát hoặc nhập một kỳ báo cáo, không chọn cả hai.');
    const bad = await pageAs('admin', '/units/X1?period=hôm+qua');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Kỳ báo cáo “hôm qua” không hợp lệ');
    const unknown = await pageAs('admin', '/units/X1?round=NOPE');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('Không có đợt khảo sát “NOPE”.');
  });

  it('refuses officers (403) and answers an unknown unit with the 404 page', async () => {
    const officer = await pageAs('canbo', '/units/X1');
    expect(officer.status).toBe(403);
    expect(officer.body).toContain('Không có quyền truy cập');
    expect(officer.body).not.toContain('65,00%');
    const missing = await pageAs('admin', '/units/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('Không tìm thấy');
    expect((await pageAs('admin', `/units/${'X'.repeat(80)}`)).status).toBe(404);
  });
});
