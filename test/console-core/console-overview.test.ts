import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { criteria } from '../../src/questionnaire/index-tree.js';
import { latestEndedPeriod } from '../../src/scoring/report-period.js';
import { createUser } from '../../src/users/user-store.js';
import { cspSafeSvg, renderSvgChart } from '../../src/console/svg-chart.js';
import { createInvitation } from '../support/invitations.js';
import { insertResponses } from '../support/scoring-database.js';
import { likert } from '../support/scoring-fixtures.js';
import { builtinDefinition } from '../support/survey-script.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { putUnits, SNV, XTP } from '../support/units.js';

let product: Product;
beforeAll(async () => {
  product = await startProduct({}, { worker: false });
  await putUnits(product.app!, [SNV, XTP]);
  const users = [
    { username: 'admin', role: 'admin' as const, unitCodes: [] },
    { username: 'canbo', role: 'officer' as const, unitCodes: ['XTP'] },
    { username: 'xem', role: 'viewer' as const, unitCodes: [] },
  ];
  for (const u of users) await createUser(product.db.prisma, { ...u, displayName: `Người ${u.username}`, password: `mat-khau-${u.username}-01` });
});
afterAll(async () => product?.stop());

async function pageAs(username: string, url = '/'): Promise<{ status: number; body: string }> {
  const form = await product.app!.inject({ method: 'GET', url: '/login' });
  const jar = form.cookies.map((c) => `${c.name}=${c.value}`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const login = await product.app!.inject({
    method: 'POST', url: '/login', headers: { cookie: jar.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username, password: `mat-khau-${username}-01`, _csrf: csrf }).toString(),
  });
  expect(login.statusCode).toBe(303);
  const session = login.cookies.find((c) => c.name === 'sipas_session')!;
  const res = await product.app!.inject({ method: 'GET', url, headers: { cookie: `sipas_session=${session.value}` } });
  return { status: res.statusCode, body: res.body };
}

const today = new Date().toISOString().slice(0, 10);
const later = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);

describe('overview page /', () => {
  it('says when no round is open', async () => {
    const { status, body } = await pageAs('admin');
    expect(status).toBe(200);
    expect(body).toContain('Hiện không có đợt khảo sát nào đang mở.');
  });

  it('shows the open round: dates dd/mm/yyyy, progress per unit group as a chart with its table, and the invitation funnel', async () => {
    const res = await product.app!.inject({
      method: 'POST', url: '/api/v1/rounds', headers: adminHeaders,
      payload: { code: 'R2026-4', name: 'Đợt quý 4', questionnaire: 'sipas-2017', opensOn: today, closesOn: later, quotas: [{ unitCode: 'SNV', target: 1200 }, { unitCode: 'XTP', target: 30 }] },
    });
    expect(res.statusCode, res.body).toBe(201);
    await createInvitation(product.app!, { unitCode: 'XTP', channel: 'telegram' });
    await createInvitation(product.app!, { unitCode: 'XTP', channel: 'telegram' });
    // Two open-survey completions at the commune on the round's first day.
    const def = builtinDefinition('sipas-2017');
    const q = await product.db.prisma.questionnaire.findFirstOrThrow({ where: { code: def.code, version: def.version } });
    const xtp = await product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'XTP' } });
    const round = await product.db.prisma.round.findUniqueOrThrow({ where: { code: 'R2026-4' } });
    await insertResponses(product.db.prisma, { id: q.id, definition: def }, [1, 2].map(() => ({ unitId: xtp.id, day: today, status: 'completed' as const, answers: [] })));
    await product.db.prisma.response.updateMany({ where: { unitId: xtp.id }, data: { roundId: round.id, counted: true, source: 'open' } });
    const { body } = await pageAs('admin');
    const [y, m, d] = today.split('-');
    expect(body).toContain(`Đợt quý 4 (R2026-4): từ ${d}/${m}/${y}`);
    expect(body).toContain('Tiến độ theo nhóm đơn vị');
    // Group labels, thousands with a dot, shares with a decimal comma.
    expect(body).toMatch(/<th scope="row">department<\/th>\s*<td class="num">1<\/td>\s*<td class="num">0<\/td>\s*<td class="num">1\.200<\/td>\s*<td class="num">0<\/td>\s*<td class="num">0,0%<\/td>/);
    expect(body).toContain('1.230');
    expect(body).toMatch(/<th scope="row">commune<\/th>\s*<td class="num">1<\/td>\s*<td class="num">0<\/td>\s*<td class="num">30<\/td>\s*<td class="num">2<\/td>\s*<td class="num">6,7%<\/td>/);
    // Completions per day, from the first day of the round.
    expect(body).toMatch(new RegExp(`<th scope="row">${d}/${m}/${y}</th>\\s*<td class="num">2</td>`));
    // The funnel: two invited, none sent yet (no worker runs here).
    expect(body).toMatch(/<th scope="row">Đã mời<\/th>\s*<td class="num">2<\/td>\s*<td class="num">100,0%<\/td>/);
    expect(body).toMatch(/<th scope="row">Đã gửi<\/th>\s*<td class="num">0<\/td>\s*<td class="num">0,0%<\/td>/);
    // Two server-rendered SVG charts, labelled, without inline styles or scripts (the CSP forbids them).
    const svgs = body.match(/<svg [\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(3);
    for (const svg of svgs) {
      expect(svg).toMatch(/^<svg role="img" aria-label="Biểu đồ/);
      expect(svg).not.toMatch(/style=|<style|<script/);
    }
    expect(body).not.toMatch(/<script(?![^>]*src="\/assets\/)/);
  });

  it('shows an officer only their units’ progress and no index', async () => {
    const { status, body } = await pageAs('canbo');
    expect(status).toBe(200);
    expect(body).toContain('<th scope="row">commune</th>');
    expect(body).not.toContain('<th scope="row">department</th>');
    expect(body).not.toContain('Chỉ số hài lòng chung');
    expect(body).not.toContain('href="/admin/users"');
  });

  it('shows administrators and viewers the latest ended period’s overall index with its interval, and its fields', async () => {
    const def = builtinDefinition('sipas-2017');
    const q = await product.db.prisma.questionnaire.findFirstOrThrow({ where: { code: def.code, version: def.version } });
    const unit = await product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'SNV' } });
    const period = latestEndedPeriod('quarter', new Date());
    const questions = criteria(def).map((c) => c.question);
    const response = (score: number) => ({ unitId: unit.id, day: period.from, status: 'completed' as const, answers: questions.map((qc) => likert(qc, score)) });
    await insertResponses(product.db.prisma, { id: q.id, definition: def }, [...Array.from({ length: 5 }, () => response(5)), response(2)]);
    for (const who of ['admin', 'xem']) {
      const { body } = await pageAs(who);
      expect(body).toContain('Chỉ số hài lòng chung · Quý ');
      expect(body).toMatch(/<p class="value">83,33%<\/p>\s*<p class="muted">Khoảng tin cậy 95%: \d+,\d\d–\d+,\d\d%<\/p>/);
      expect(body).toContain('Chỉ số theo lĩnh vực và yếu tố');
    }
    const admin = await pageAs('admin');
    expect(admin.body).toContain('href="/admin/users"');
  });

  it('escapes labels from the database inside the chart and its accessible name', async () => {
    const svg = await renderSvgChart({ xAxis: { type: 'category', data: ['<script>alert(1)</script>'] }, yAxis: { type: 'value' }, series: [{ type: 'bar', data: [1] }] }, { width: 300, height: 200 }, 'Nhóm "<b>"');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toMatch(/^<svg role="img" aria-label="Nhóm &quot;&lt;b>&quot;"/);
  });

  it('turns ECharts’ inline styles into presentation attributes and drops its style block', () => {
    const svg = '<svg><style><![CDATA[.a:hover{fill:red}]]></style><text style="font-size:12px;font-family:sans-serif;" x="1">Sở</text></svg>';
    expect(cspSafeSvg(svg)).toBe('<svg><text font-size="12px" font-family="sans-serif" x="1">Sở</text></svg>');
  });
});
