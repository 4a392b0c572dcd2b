import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { shownIndex } from '../../src/scoring/rank-units.js';
import type { IndexReport } from '../../src/scoring/report-schema.js';
import { indexReportRange, microdataRange } from '../../src/api/report-access.js';
import { reportQuerySchema } from '../../src/api/report-query.js';
import { reportErrorVi } from '../../src/console/report-errors-vi.js';
import { createUser } from '../../src/users/user-store.js';
import { ANNEX_GROUPS, ANNEX_SMALL_UNIT, ANNEX_UNITS, seedAnnexProvince } from '../support/annex-units.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';

/*
 * /rankings without a browser: the annex table of the latest ended period (REPORT_PERIOD=month,
 * the clock on 5 December 2026, so November), sections and ranks as the API's JSON has them,
 * indices with 2 decimals and a decimal comma; what viewers and officers may read; invalid
 * filters answered in Vietnamese; downloads through the API's report code, audited.
 */

const def = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2024' && d.version === 2)!;
const Q = 'questionnaire=sipas-2024%402';
const USERS = { admin: 'quantri', viewer: 'nguoixem', officer: 'canbo' } as const;
let product: Product;
let report: IndexReport;
const cookies = new Map<string, string>();
const userIds = new Map<string, string>();

async function signIn(username: string): Promise<string> {
  const form = await product.app!.inject({ method: 'GET', url: '/login' });
  const jar = form.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
  const login = await product.app!.inject({
    method: 'POST', url: '/login', headers: { cookie: jar, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username, password: `mat-khau-${username}-01`, _csrf: csrf }).toString(),
  });
  expect(login.statusCode).toBe(303);
  return `sipas_session=${login.cookies.find((c) => c.name === 'sipas_session')!.value}`;
}

const get = (who: keyof typeof USERS, url: string) => product.app!.inject({ method: 'GET', url, headers: { cookie: cookies.get(who)! } });

/** "83,3333…" → "83,33": as the annex shows an index. */
const vi2 = (v: number) => shownIndex(v).toFixed(2).replace('.', ',');
const decode = (html: string) => html.replace(/&#39;/g, "'").replace(/&#34;|&quot;/g, '"').replace(/&amp;/g, '&');

beforeAll(async () => {
  product = await startProduct({ REPORT_PERIOD: 'month', REPORT_MIN_CELL: '5', PROVINCE_NAME: 'tỉnh Quảng Nam' }, { worker: false, now: () => new Date('2026-12-05T03:00:00Z') });
  await seedAnnexProvince(product, def);
  const roles = { admin: 'admin', viewer: 'viewer', officer: 'officer' } as const;
  for (const [key, username] of Object.entries(USERS)) {
    const user = await createUser(product.db.prisma, { username, displayName: `Người ${username}`, role: roles[key as keyof typeof USERS], unitCodes: key === 'officer' ? ['S01'] : [], password: `mat-khau-${username}-01` });
    userIds.set(key, user.id);
    cookies.set(key, await signIn(username));
  }
  const res = await product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?${Q}&period=2026-11&format=json`, headers: adminHeaders });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  report = res.json() as IndexReport;
});
afterAll(async () => product?.stop());

describe('/rankings: the annex on screen', () => {
  it('shows the latest ended period’s sections in the groups’ order, each unit’s responses, index with 2 decimals and rank within its group, and the province total', async () => {
    const res = await get('admin', `/rankings?${Q}`);
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200);
    const html = decode(res.body);
    expect(html).toContain('<title>Xếp hạng · SIPAS</title>');
    expect(html).toContain('Tháng 11/2026 (phiếu hoàn thành từ ngày 01/11/2026 đến ngày 30/11/2026)');
    // Sections I–IV by the groups' order; the land-registry branches are ranked on their own.
    const sections = [...html.matchAll(/<tr class="section"><td class="num">([IVX]+)<\/td><th scope="row">([^<]+)<\/th>/g)].map((m) => [m[1], m[2]]);
    expect(sections).toEqual([
      ['I', 'I. Sở, ban, ngành'],
      ['II', 'II. UBND cấp huyện'],
      ['III', 'III. UBND cấp xã'],
      ['IV', 'IV. Chi nhánh Văn phòng đăng ký đất đai (xếp hạng riêng)'],
    ]);
    expect(sections).toHaveLength(ANNEX_GROUPS.length);
    // A two-field questionnaire: a column per field and per element.
    expect(html).toMatch(/<th scope="col" class="num node">Lĩnh vực [^<]+\(%\)<\/th>/);
    expect(html).toMatch(/<th scope="col" class="num node">Yếu tố [^<]+\(%\)<\/th>/);
    // Every unit as the API's JSON has it: number within its section, name, responses, index (2 decimals, comma) and rank.
    for (const g of report.groups) {
      report.units
        .filter((u) => u.group === g.group)
        .forEach((u, i) => {
          const row = new RegExp(`<tr><td class="num">${i + 1}</td><th scope="row" class="unit">${u.name}</th>(.*?)</tr>`).exec(html);
          expect(row, u.name).not.toBeNull();
          const cells = [...row![1]!.matchAll(/<td class="num[^"]*">([^<]*)<\/td>/g)].map((m) => m[1]);
          if (u.suppressed) {
            expect(cells[0], u.code).toBe('—');
          } else {
            expect(cells[0], u.code).toBe(String(u.responses));
            expect(cells.at(-2), u.code).toBe(vi2(u.index!));
            expect(cells.at(-2), u.code).toMatch(/^\d{1,3},\d\d$/);
            expect(cells.at(-1), u.code).toBe(String(u.rank));
          }
        });
    }
    // Ranks start again at 1 in every section.
    const best = report.groups.map((g) => report.units.filter((u) => u.group === g.group && u.rank === 1).length);
    expect(best.every((n) => n >= 1)).toBe(true);
    const small = report.units.find((u) => u.code === ANNEX_SMALL_UNIT)!;
    expect(small.suppressed).toBe(true);
    expect(html).toContain('Dưới 5 phiếu: ẩn số liệu để bảo vệ danh tính người trả lời');
    expect(html).toMatch(new RegExp(`<tr class="province"><td></td><th scope="row">Chỉ số chung tỉnh Quảng Nam \\(trung bình các đơn vị\\)</th><td class="num">[\\d.]+</td>.*<td class="num index">${vi2(report.overall.index!)}</td>`));
    expect(report.units).toHaveLength(ANNEX_UNITS.length);
  });

  it('limits the table to one unit group when asked, and offers the downloads with the same filters (microdata to administrators)', async () => {
    const res = await get('admin', `/rankings?${Q}&group=chi-nhanh`);
    expect(res.statusCode).toBe(200);
    const html = decode(res.body);
    expect(html).toContain('IV. Chi nhánh Văn phòng đăng ký đất đai');
    expect(html).not.toContain('Sở Ngành Tỉnh 01');
    expect(html).toContain('href="/rankings/download?questionnaire=sipas-2024%402&period=2026-11&group=chi-nhanh&format=xlsx"');
    expect(html).toContain('href="/rankings/download?questionnaire=sipas-2024%402&period=2026-11&group=chi-nhanh&format=csv&locale=vi"');
    expect(html).toContain('href="/rankings/microdata?questionnaire=sipas-2024%402&period=2026-11&group=chi-nhanh&format=xlsx"');
  });

  it('lets an administrator pick days as Vietnamese write them (dd/mm/yyyy), a free range', async () => {
    const res = await get('admin', `/rankings?${Q}&from=01%2F11%2F2026&to=15%2F11%2F2026`);
    expect(res.statusCode).toBe(200);
    const html = decode(res.body);
    expect(html).toContain('Phiếu hoàn thành từ ngày 01/11/2026 đến ngày 15/11/2026');
    expect(html).toContain('value="01/11/2026"');
    expect(html).toContain('href="/rankings/download?questionnaire=sipas-2024%402&from=01%2F11%2F2026&to=15%2F11%2F2026&format=xlsx"');
  });

  it('shows a viewer the same figures for the latest ended period, without date-range fields or microdata links', async () => {
    const res = await get('viewer', `/rankings?${Q}`);
    expect(res.statusCode).toBe(200);
    const html = decode(res.body);
    const s01 = report.units.find((u) => u.code === 'S01')!;
    expect(html).toMatch(new RegExp(`<th scope="row" class="unit">${s01.name}</th>.*<td class="num index">${vi2(s01.index!)}</td><td class="num">${s01.rank}</td>`));
    expect(html).not.toContain('name="from"');
    expect(html).not.toContain('/rankings/microdata');
    expect(html).toContain('href="/rankings"');
  });

  it('holds a viewer to whole ended periods of the configured kind, in Vietnamese', async () => {
    const cases: [string, number, string][] = [
      [`${Q}&from=2026-11-01&to=2026-11-15`, 400, 'Người xem chỉ xem được trọn một kỳ báo cáo (ví dụ 2026-11)'],
      [`${Q}&period=2026-12`, 400, 'Kỳ 2026-12 chưa kết thúc: số liệu của kỳ xem được từ sau ngày 31/12/2026.'],
      [`${Q}&period=2026-Q3`, 400, 'Báo cáo tính theo trọn tháng (ví dụ 2026-11); “2026-Q3” là một quý.'],
    ];
    for (const [query, status, message] of cases) {
      const res = await get('viewer', `/rankings?${query}`);
      expect(res.statusCode, query).toBe(status);
      expect(decode(res.body), query).toContain(message);
      expect(res.body, query).not.toContain('<table class="rankings">');
    }
    // The API refuses the same.
    const api = await get('viewer', `/rankings/download?${Q}&from=2026-11-01&to=2026-11-15&format=json`);
    expect(api.statusCode).toBe(400);
    expect(decode(api.body)).toContain('Người xem chỉ xem được trọn một kỳ');
  });

  it('answers invalid filters with a Vietnamese message and the form, not a 500', async () => {
    const cases: [string, number, string][] = [
      [`${Q}&period=quy-ba`, 400, 'Kỳ báo cáo không hợp lệ: nhập năm (2026), quý (2026-Q3 hoặc Q3/2026) hoặc tháng (2026-09 hoặc 09/2026).'],
      [`${Q}&group=khong-co`, 400, 'Không có nhóm đơn vị “khong-co”.'],
      [`${Q}&round=KHONG-CO`, 404, 'Không có đợt khảo sát với mã này.'],
      ['questionnaire=khong-co', 404, 'Không có bộ câu hỏi này.'],
      [`${Q}&from=2026-11-20&to=2026-11-01`, 400, '“Từ ngày” không được sau “Đến ngày”.'],
      [`${Q}&from=31/02/2026`, 400, 'Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy (từ năm 2000).'],
      [`${Q}&period=2026-10&from=2026-10-01`, 400, 'Chọn kỳ báo cáo hoặc khoảng ngày, không chọn cả hai.'],
    ];
    for (const [query, status, message] of cases) {
      const res = await get('admin', `/rankings?${query}`);
      expect(res.statusCode, query).toBe(status);
      const html = decode(res.body);
      expect(html, query).toContain(`<p class="error" role="alert">${message}</p>`);
      expect(html, query).toContain('<form method="get" action="/rankings"');
    }
  });

  it('gives officers the 403 page, and no link to it', async () => {
    for (const url of ['/rankings', `/rankings/download?${Q}&format=xlsx`, `/rankings/microdata?${Q}&format=csv`]) {
      const res = await get('officer', url);
      expect(res.statusCode, url).toBe(403);
      expect(res.body, url).toContain('Không có quyền truy cập');
    }
    const home = await get('officer', '/');
    expect(home.body).not.toContain('href="/rankings"');
  });
});

describe('/rankings downloads', () => {
  const auditOf = (action: string) => product.db.prisma.auditLog.findMany({ where: { action }, orderBy: { id: 'desc' }, take: 1 });

  it('serves the annex CSV for a vi-VN spreadsheet, audited as the API audits a report download', async () => {
    const res = await get('admin', `/rankings/download?${Q}&format=csv&locale=vi`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('sipas-index_sipas-2024-v2_2026-11.csv');
    const rows = parse(res.body.replace(/^\uFEFF/, ''), { columns: true, delimiter: ';' }) as Record<string, string>[];
    const s01 = report.units.find((u) => u.code === 'S01')!;
    const row = rows.find((r) => r['Mã'] === 'S01')!;
    expect(row['Chỉ số SIPAS (%)']).toBe(vi2(s01.index!));
    expect(row['Xếp hạng trong nhóm']).toBe(String(s01.rank));
    const [audit] = await auditOf('report.download');
    expect(audit).toMatchObject({ actor: `user:${userIds.get('admin')}`, details: { questionnaire: 'sipas-2024@2', period: '2026-11', format: 'csv' } });
  });

  it('serves the workbook and the JSON (the API’s report) to a viewer, audited with the viewer as actor', async () => {
    const xlsx = await get('viewer', `/rankings/download?${Q}&format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const json = await get('viewer', `/rankings/download?${Q}&format=json`);
    expect(json.statusCode).toBe(200);
    const body = json.json() as IndexReport;
    expect(body.units.map((u) => [u.code, u.index, u.rank])).toEqual(report.units.map((u) => [u.code, u.index, u.rank]));
    const [audit] = await auditOf('report.download');
    expect(audit).toMatchObject({ actor: `user:${userIds.get('viewer')}`, details: { period: '2026-11', format: 'json' } });
  });

  it('exports microdata to administrators only, audited', async () => {
    const res = await get('admin', `/rankings/microdata?${Q}&format=csv`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-disposition']).toContain('sipas-microdata_sipas-2024-v2_2026-11.csv');
    const [audit] = await auditOf('microdata.download');
    expect(audit).toMatchObject({ actor: `user:${userIds.get('admin')}`, details: { period: '2026-11', format: 'csv' } });
    const viewer = await get('viewer', `/rankings/microdata?${Q}&format=csv`);
    expect(viewer.statusCode).toBe(403);
    expect(await product.db.prisma.auditLog.count({ where: { action: 'microdata.download', actor: `user:${userIds.get('viewer')}` } })).toBe(0);
  });

  it('refuses an unknown format, and microdata over a free range, in Vietnamese', async () => {
    const bad = await get('admin', `/rankings/download?${Q}&format=pdf`);
    expect(bad.statusCode).toBe(400);
    expect(decode(bad.body)).toContain('Định dạng tải xuống không hợp lệ.');
    const free = await get('admin', `/rankings/microdata?${Q}&from=2026-11-01&to=2026-11-15&format=csv`);
    expect(free.statusCode).toBe(400);
    expect(decode(free.body)).toContain('Dữ liệu vi mô chỉ xuất theo trọn một kỳ báo cáo');
    expect(decode(free.body)).toContain('href="/rankings?questionnaire=sipas-2024%402&from=2026-11-01&to=2026-11-15"');
  });
});

describe('refusals of the report rules, in Vietnamese', () => {
  const now = new Date('2026-12-05T03:00:00Z');
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      return reportErrorVi(err);
    }
    throw new Error('expected a refusal');
  };

  it('says when a round a viewer asks for has not ended', () => {
    const round = { code: 'Q4-2026', from: '2026-10-01', to: '2026-12-31', ended: false };
    expect(refusal(() => indexReportRange('viewer', reportQuerySchema.parse({ round: 'Q4-2026' }), 'month', now, round))).toEqual({
      status: 400,
      message: 'Đợt khảo sát Q4-2026 chưa kết thúc: số liệu của đợt xem được từ sau ngày 31/12/2026.',
    });
  });

  it('says what viewers may not filter on, and what microdata covers', () => {
    expect(refusal(() => indexReportRange('viewer', reportQuerySchema.parse({ period: '2026-11', source: 'open' }), 'month', now))).toEqual({
      status: 403,
      message: 'Vai trò của bạn không dùng được bộ lọc hoặc tệp tải xuống này.',
    });
    expect(refusal(() => microdataRange(reportQuerySchema.parse({ period: '2026-12' }), 'month', now))?.message).toBe('Kỳ 2026-12 chưa kết thúc: số liệu của kỳ xem được từ sau ngày 31/12/2026.');
  });
});
