import { type FinalAnswer } from '../../src/engine/index.js';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { criterionBindings } from '../../src/scoring/index-bindings.js';
import { persistAnswersJob } from '../../src/queues/job-catalog.js';
import { SUPPRESSED_UNIT } from '../../src/export/microdata-rows.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { waitUntil } from '../support/wait-until.js';

let product: Product;
const keys: Record<'officer' | 'viewer', string> = { officer: '', viewer: '' };
// The responses are of version 1 (a province variant with N/A), reported under that version.
const sipas2017 = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2017' && d.version === 1)!;
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (url: string, headers: Record<string, string> = adminHeaders) => product.app!.inject({ method: 'GET', url, headers });

/** One completed response through the real answers worker: every criterion gets `score`. */
async function completeResponse(unitCode: string, score: (criterion: string, i: number) => number | 'na', i: number, comment?: string) {
  const responseId = randomUUID();
  const at = new Date(Date.UTC(2026, 10, 10, 3)).toISOString();
  const answers: FinalAnswer[] = criterionBindings(sipas2017).map((b, k) => {
    const s = score(b.criterionCode, i);
    return s === 'na' ? { questionCode: b.questionCode, status: 'not_applicable', value: null, seq: k + 1 } : { questionCode: b.questionCode, status: 'answered', value: s, score: s, seq: k + 1 };
  });
  answers.push({ questionCode: 'gender', status: 'answered', value: i % 2 ? 'female' : 'male', seq: 90 });
  answers.push({ questionCode: 'complaint', status: 'answered', value: true, seq: 91 });
  if (comment) answers.push({ questionCode: 'comment', status: 'answered', value: comment, seq: 92 });
  await product.ctx.queues.add(persistAnswersJob, {
    batchId: `seed-${responseId}`,
    items: [
      {
        outboxId: `seed-${responseId}`,
        respondent: { channel: 'telegram', externalId: `90000${i}` },
        effects: [
          { type: 'response_started', responseId, questionnaire: { code: 'sipas-2017', version: 1 }, unitCode, channel: 'telegram', at },
          { type: 'response_completed', responseId, answers, at },
        ],
      },
    ],
  });
  return responseId;
}

beforeAll(async () => {
  // Viewers and microdata get whole ended months; the responses are of November 2026.
  product = await startProduct({ REPORT_PERIOD: 'month' }, { now: () => new Date('2026-12-05T03:00:00Z') });
  const units = [
    { code: 'SNV', name: 'Sở Nội vụ', group: 'department' },
    { code: 'STP', name: 'Sở Tư pháp', group: 'department' },
    { code: 'SXD', name: 'Sở Xây dựng', group: 'department' },
    { code: 'SYT', name: 'Sở Y tế', group: 'department' },
    { code: 'XTP', name: 'UBND xã Tân Phong', group: 'commune' },
  ];
  expect((await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: units })).statusCode).toBe(200);
  keys.officer = (await createApiKey(product.db.prisma, { name: 'officer', role: 'officer', unitCodes: ['SNV'] })).key;
  keys.viewer = (await createApiKey(product.db.prisma, { name: 'viewer', role: 'viewer', unitCodes: [] })).key;
  const ids: string[] = [];
  // SNV: 8 responses all 5s; STP: 8, 4s and 2s alternating (50%), 1.1 always N/A;
  // SXD: 2 (below the minimum cell); SYT: 6, the smallest other unit, withheld too so SXD cannot be derived from the total.
  for (let i = 0; i < 8; i++) ids.push(await completeResponse('SNV', () => 5, i, i === 0 ? '=HYPERLINK("http://evil")' : undefined));
  for (let i = 0; i < 8; i++) ids.push(await completeResponse('STP', (c, k) => (c === '1.1' ? 'na' : k % 2 ? 4 : 2), i));
  for (let i = 0; i < 2; i++) ids.push(await completeResponse('SXD', () => 3, i));
  for (let i = 0; i < 6; i++) ids.push(await completeResponse('SYT', () => 4, i));
  await waitUntil(async () => (await product.db.prisma.response.count({ where: { status: 'completed' } })) === ids.length, 'answers worker persisted all');
});
afterAll(async () => product?.stop());

type Report = { overall: { index: number; responses: number }; units: { code: string; index: number | null; rank: number | null; responses: number | null; suppressed?: boolean; nodes: { code: string; index: number | null; children?: { code: string; index: number | null; n?: number }[] }[] }[] };

describe('GET /api/v1/reports/index', () => {
  it('returns the same numbers as JSON, CSV and XLSX', async () => {
    const res = await get('/api/v1/reports/index?questionnaire=sipas-2017@1&from=2026-11-01&to=2026-11-30&group=department&format=json');
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json() as Report;
    const snv = report.units.find((u) => u.code === "SNV")!;
    const stp = report.units.find((u) => u.code === 'STP')!;
    expect(snv.index).toBe(100);
    expect(stp.index).toBe(50);
    expect([snv.rank, stp.rank]).toEqual([1, 2]);
    expect(report.units.find((u) => u.code === 'SXD')!.index).toBeNull();
    // Withheld cells publish no counts at all.
    expect(report.units.find((u) => u.code === 'SYT')).toMatchObject({ index: null, suppressed: true, responses: null });
    expect(report.units.some((u) => u.code === 'XTP')).toBe(false);
    expect(report.overall.responses).toBe(24);
    // Criterion 1.1 at STP was all N/A: no valid answer → null, excluded from the element mean.
    expect(stp.nodes[0]!.children![0]).toMatchObject({ code: '1.1', index: null, n: 0 });

    const csv = await get('/api/v1/reports/index?questionnaire=sipas-2017@1&from=2026-11-01&to=2026-11-30&group=department&format=csv-long');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = parse(csv.body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];
    const row = (unit: string, kind: string, code = '') => rows.find((r) => r['Mã đơn vị'] === unit && r['Cấp'] === kind && r['Mã'] === code)!;
    expect(Number(row('SNV', 'total')['Chỉ số (%)'])).toBe(snv.index);
    expect(Number(row('STP', 'total')['Chỉ số (%)'])).toBe(stp.index);
    expect(Number(row('STP', 'total')['Xếp hạng'])).toBe(2);
    expect(Number(row('STP', 'element', '2')['Chỉ số (%)'])).toBe(stp.nodes[1]!.index);
    expect(row('STP', 'criterion', '1.1')['Chỉ số (%)']).toBe('');

    const xlsx = await get('/api/v1/reports/index?questionnaire=sipas-2017@1&from=2026-11-01&to=2026-11-30&group=department&format=xlsx');
    expect(xlsx.headers['content-disposition']).toContain('.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const summary = wb.worksheets[0]!;
    const values: Record<string, unknown[]> = {};
    summary.eachRow((row) => {
      const v = row.values as unknown[];
      const name = v.find((x) => x === 'Sở Nội vụ' || x === 'Sở Tư pháp');
      if (typeof name === 'string') values[name] = v;
    });
    expect(values['Sở Nội vụ']).toContain(100);
    expect(values['Sở Tư pháp']).toContain(50);
  });

  it('rollups written by the answers worker equal a recount from raw answers', async () => {
    const { verifyRollups } = await import('../../src/scoring/verify-rollups.js');
    const q = await product.db.prisma.questionnaire.findFirstOrThrow({ where: { code: 'sipas-2017', version: 1 } });
    expect(await verifyRollups(product.db.prisma, { questionnaireId: q.id })).toEqual([]);
    const raw = await get('/api/v1/reports/index?questionnaire=sipas-2017@1&format=json');
    expect(raw.json().overall.index).toBeGreaterThan(0);
  });

  it('audits every download', async () => {
    const before = await product.db.prisma.auditLog.count({ where: { action: 'report.download' } });
    await get('/api/v1/reports/index?questionnaire=sipas-2017@1&format=json', bearer(keys.viewer));
    expect(await product.db.prisma.auditLog.count({ where: { action: 'report.download' } })).toBe(before + 1);
  });

  it('validates the query', async () => {
    const bad = await get('/api/v1/reports/index?from=2026-13-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_request');
    expect((await get('/api/v1/reports/index?questionnaire=nope')).statusCode).toBe(404);
    expect((await get('/api/v1/reports/index?from=2026-12-01&to=2026-11-01')).statusCode).toBe(400);
    // A version no database integer can hold is a validation error, not a failed query.
    for (const ref of ['sipas-2017@99999999999', 'sipas-2017@0', 'sipas-2017@abc']) {
      const res = await get(`/api/v1/reports/index?questionnaire=${ref}`);
      expect(res.statusCode, ref).toBe(400);
      expect(res.json().error.details[0].path).toBe('questionnaire');
    }
    expect((await get('/api/v1/reports/index?questionnaire=sipas-2017@2147483647')).statusCode).toBe(404);
    expect((await get('/api/v1/responses/export?format=csv&questionnaire=sipas-2017@99999999999')).statusCode).toBe(400);
    // Days that Date.parse would roll over, and text PostgreSQL cannot hold, are refused up front.
    for (const query of ['from=2026-02-30', 'to=2026-04-31', 'group=%00', 'group=a%0Ab']) {
      expect((await get(`/api/v1/reports/index?${query}`)).statusCode, query).toBe(400);
      expect((await get(`/api/v1/responses/export?format=csv&${query}`)).statusCode, query).toBe(400);
    }
  });
});

describe('roles', () => {
  it('viewer reads reports but cannot create invitations or read microdata', async () => {
    expect((await get('/api/v1/reports/index', bearer(keys.viewer))).statusCode).toBe(200);
    const inv = await product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: bearer(keys.viewer), payload: { unitCode: 'SNV', channel: 'telegram' } });
    expect(inv.statusCode).toBe(403);
    expect(inv.json().error.code).toBe('forbidden');
    expect((await get('/api/v1/responses/export?format=csv', bearer(keys.viewer))).statusCode).toBe(403);
  });

  it('officer invites for its own units only and never sees reports or microdata', async () => {
    const own = await product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: bearer(keys.officer), payload: { unitCode: 'SNV', channel: 'telegram' } });
    expect(own.statusCode).toBe(201);
    const other = await product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: bearer(keys.officer), payload: { unitCode: 'STP', channel: 'telegram' } });
    expect(other.statusCode).toBe(403);
    expect((await get('/api/v1/reports/index', bearer(keys.officer))).statusCode).toBe(403);
    expect((await get('/api/v1/responses/export?format=csv', bearer(keys.officer))).statusCode).toBe(403);
  });

  it('missing or wrong keys get 401 with a JSON error; revoked keys stop working', async () => {
    const none = await get('/api/v1/reports/index', {});
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await get('/api/v1/reports/index', bearer('sk_000000000000_abcdefghijklmnopqrstuvwxyz'))).statusCode).toBe(401);
    const { id, key } = await createApiKey(product.db.prisma, { name: 'temp', role: 'viewer', unitCodes: [] });
    expect((await get('/api/v1/reports/index', bearer(key))).statusCode).toBe(200);
    const { revokeApiKey } = await import('../../src/auth/manage-api-keys.js');
    await revokeApiKey(product.db.prisma, id);
    expect((await get('/api/v1/reports/index', bearer(key))).statusCode).toBe(401);
    expect(await product.db.prisma.auditLog.count({ where: { action: { in: ['apikey.create', 'apikey.revoke'] } } })).toBeGreaterThanOrEqual(4);
  });
});

describe('GET /api/v1/responses/export (anonymised microdata)', () => {
  it('has one row per completed response and none of the identifying fields', async () => {
    const inv = await product.db.prisma.invitation.findFirst();
    const res = await get('/api/v1/responses/export?questionnaire=sipas-2017@1&period=2026-11&format=csv&text=1');
    expect(res.statusCode).toBe(200);
    const body = res.body.replace(/^\uFEFF/, '');
    const rows = parse(body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(24);
    expect(Object.keys(rows[0]!)).toEqual(expect.arrayContaining(['Mã đơn vị', 'Tháng hoàn thành', '1.1', '5.4', 'gender']));
    expect(rows.every((r) => r['Tháng hoàn thành'] === '2026-11')).toBe(true);
    // The units the report withholds are pooled, without their group: SXD (2, below the
    // minimum cell) and SYT (6, withheld with it), so no pooled row can be told to be SXD's.
    const pooled = rows.filter((r) => r['Đơn vị'] === SUPPRESSED_UNIT);
    expect(pooled).toHaveLength(8);
    expect(pooled.every((r) => r['Mã đơn vị'] === '' && r['Nhóm đơn vị'] === '')).toBe(true);
    expect(rows.filter((r) => r['Mã đơn vị'] === 'SXD' || r['Mã đơn vị'] === 'SYT')).toHaveLength(0);
    expect(rows.filter((r) => r['Mã đơn vị'] === 'SNV' && r['Nhóm đơn vị'] === 'department')).toHaveLength(8);
    // No ids, tokens, chat ids, phones, dossier codes or timestamps.
    const responses = await product.db.prisma.response.findMany({ select: { id: true, startedAt: true } });
    for (const r of responses) expect(body).not.toContain(r.id);
    for (const ext of ['900000', '900001', '900002']) expect(body).not.toContain(ext);
    if (inv) expect(body).not.toContain(inv.token);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    // Hostile free text cannot become a formula.
    expect(body).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('leaves free text out unless asked, and streams XLSX too', async () => {
    const csv = await get('/api/v1/responses/export?questionnaire=sipas-2017@1&period=2026-11&format=csv');
    expect(csv.body).not.toContain('HYPERLINK');
    const xlsx = await get('/api/v1/responses/export?questionnaire=sipas-2017@1&period=2026-11&format=xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(25);
  });
});
