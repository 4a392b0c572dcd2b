import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import { insertResponses, storeQuestionnaire, type FakeResponse } from '../support/scoring-database.js';
import { likert, ONE_FIELD, questionOf } from '../support/scoring-fixtures.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { putUnits } from '../support/units.js';

let product: Product;
const keys = { officer: '', viewer: '' };
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

const putGroups = (payload: unknown, headers: Record<string, string> = adminHeaders) =>
  product.app!.inject({ method: 'PUT', url: '/api/v1/unit-groups', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
const getGroups = async (headers: Record<string, string> = adminHeaders) => {
  const res = await product.app!.inject({ method: 'GET', url: '/api/v1/unit-groups', headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().groups as { code: string; label: string; order: number; rankSeparately: boolean }[];
};

beforeAll(async () => {
  product = await startProduct({ PROVINCE_NAME: 'tỉnh Quảng Nam' }, { worker: false });
  keys.viewer = (await createApiKey(product.db.prisma, { name: 'viewer', role: 'viewer', unitCodes: [] })).key;
});
afterAll(async () => product?.stop());

describe('unit groups', () => {
  it('creates the group row of a unit uploaded with a new group (label = code, ordered after the last)', async () => {
    await putUnits(product.app!, [
      { code: 'X1', name: 'UBND xã Một', group: 'xa' },
      { code: 'S1', name: 'Sở Tư pháp', group: 'so' },
    ]);
    expect(await getGroups()).toEqual([
      { code: 'xa', label: 'xa', order: 1, rankSeparately: false },
      { code: 'so', label: 'so', order: 2, rankSeparately: false },
    ]);
    // Regrouping one unit to an unknown group creates it too.
    const patch = await product.app!.inject({ method: 'PATCH', url: '/api/v1/units/X1', headers: adminHeaders, payload: { group: 'tam' } });
    expect(patch.statusCode, patch.body).toBe(200);
    expect((await getGroups()).at(-1)).toEqual({ code: 'tam', label: 'tam', order: 3, rankSeparately: false });
    await product.app!.inject({ method: 'PATCH', url: '/api/v1/units/X1', headers: adminHeaders, payload: { group: 'xa' } });
  });

  it('upserts labels, order and separate ranking (a list or {groups}), lists them by order, and audits the upload', async () => {
    const first = await putGroups([
      { code: 'xa', label: 'UBND cấp xã', order: 30 },
      { code: 'chi-nhanh', label: 'Chi nhánh Văn phòng đăng ký đất đai', order: 40, rankSeparately: true },
      { code: 'so', label: 'Sở, ban, ngành', order: 10 },
    ]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ created: 1, updated: 2, total: 3 });
    const second = await putGroups({ groups: [{ code: 'huyen', label: 'UBND cấp huyện', order: 20, rankSeparately: false }] });
    expect(second.json()).toEqual({ created: 1, updated: 0, total: 1 });
    expect((await getGroups()).filter((g) => g.code !== 'tam')).toEqual([
      { code: 'so', label: 'Sở, ban, ngành', order: 10, rankSeparately: false },
      { code: 'huyen', label: 'UBND cấp huyện', order: 20, rankSeparately: false },
      { code: 'xa', label: 'UBND cấp xã', order: 30, rankSeparately: false },
      { code: 'chi-nhanh', label: 'Chi nhánh Văn phòng đăng ký đất đai', order: 40, rankSeparately: true },
    ]);
    const audits = await product.db.prisma.auditLog.findMany({ where: { action: 'unit-groups.upsert' }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.details)).toEqual([
      { created: 1, updated: 2, codes: ['xa', 'chi-nhanh', 'so'] },
      { created: 1, updated: 0, codes: ['huyen'] },
    ]);
    // A unit uploaded later with a new group comes after the last configured one.
    await putUnits(product.app!, [{ code: 'Z1', name: 'Đơn vị mới', group: 'moi' }]);
    expect((await getGroups()).at(-1)).toEqual({ code: 'moi', label: 'moi', order: 41, rankSeparately: false });
  });

  it('validates every row, reports each bad one by number and saves nothing', async () => {
    const res = await putGroups([
      { code: 'ok', label: 'Hợp lệ', order: 1 },
      { code: 'a', label: '', order: 2 },
      { code: 'b', label: 'B', order: 1.5 },
      { code: 'c', label: 'C', order: -1 },
      { code: 'd', label: 'D', order: '3' },
      { code: 'e\u0000', label: 'E', order: 3 },
      { code: 'f', label: 'F', order: 3, rankSeparately: 'yes' },
      { code: 'g', label: 'G', order: 3, colour: 'red' },
      { code: 'ok', label: 'Trùng mã', order: 4 },
    ]);
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('invalid_rows');
    expect(error.details.map((d: { row: number }) => d.row)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(error.details[0].message).toMatch(/^label:/);
    expect(error.details[1].message).toMatch(/^order:/);
    expect(error.details[4].message).toMatch(/^code: must not contain control characters/);
    expect(error.details[5].message).toMatch(/^rankSeparately:/);
    expect(error.details[6].message).toMatch(/colour|unrecognized/i);
    expect(error.details[7].message).toContain('row 1');
    expect(await product.db.prisma.unitGroup.count({ where: { code: 'ok' } })).toBe(0);

    expect((await putGroups([])).json().error.message).toContain('no unit groups');
    expect((await putGroups({ code: 'x' })).statusCode).toBe(400);
    expect(await product.db.prisma.auditLog.count({ where: { action: 'unit-groups.upsert' } })).toBe(2);
  });

  it('lets admins change groups and admins, officers and viewers read them', async () => {
    expect((await product.app!.inject({ method: 'PUT', url: '/api/v1/unit-groups', payload: [] })).statusCode).toBe(401);
    expect((await product.app!.inject({ method: 'GET', url: '/api/v1/unit-groups' })).statusCode).toBe(401);
    keys.officer = (await createApiKey(product.db.prisma, { name: 'officer', role: 'officer', unitCodes: ['S1'] })).key;
    for (const key of [keys.officer, keys.viewer]) {
      expect((await putGroups([{ code: 'so', label: 'Đổi tên', order: 1 }], bearer(key))).statusCode).toBe(403);
      expect((await getGroups(bearer(key))).find((g) => g.code === 'so')).toEqual({ code: 'so', label: 'Sở, ban, ngành', order: 10, rankSeparately: false });
    }
  });

  it('reports groups by order as sections I–IV with labels, ranks within groups, and a province-wide rank without the branches', async () => {
    await putUnits(product.app!, [
      { code: 'S1', name: 'Sở Tư pháp', group: 'so' },
      { code: 'S2', name: 'Sở Nội vụ', group: 'so' },
      { code: 'H1', name: 'UBND huyện Một', group: 'huyen' },
      { code: 'X1', name: 'UBND xã Một', group: 'xa' },
      { code: 'X2', name: 'UBND xã Hai', group: 'xa' },
      { code: 'C1', name: 'Chi nhánh VPĐKĐĐ huyện Một', group: 'chi-nhanh' },
      { code: 'C2', name: 'Chi nhánh VPĐKĐĐ huyện Hai', group: 'chi-nhanh' },
    ]);
    // Units of groups without active units are not in reports: retire the placeholders.
    await product.db.prisma.unit.updateMany({ where: { code: 'Z1' }, data: { active: false } });
    const questionnaireId = await storeQuestionnaire(product.db.prisma, ONE_FIELD);
    const ids = new Map((await product.db.prisma.unit.findMany()).map((u) => [u.code, u.id]));
    // Six responses each; `satisfied` of them score 5 on every criterion, the others 2: index = 100 × satisfied / 6.
    const satisfied: Record<string, number> = { S1: 6, S2: 3, H1: 5, X1: 6, X2: 2, C1: 4, C2: 6 };
    const responses: FakeResponse[] = Object.entries(satisfied).flatMap(([code, s]) =>
      Array.from({ length: 6 }, (_, k) => ({
        unitId: ids.get(code)!,
        day: '2026-11-10',
        status: 'completed' as const,
        answers: ['E1.1', 'E1.2', 'E2.1'].map((c) => likert(questionOf(c), k < s ? 5 : 2)),
      })),
    );
    await insertResponses(product.db.prisma, { id: questionnaireId, definition: ONE_FIELD }, responses);

    const res = await product.app!.inject({ method: 'GET', url: '/api/v1/reports/index?questionnaire=fx-one&from=2026-11-01&to=2026-11-30', headers: adminHeaders });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.province).toBe('tỉnh Quảng Nam');
    expect(report.groups.map((g: Record<string, unknown>) => [g.section, g.group, g.label, g.order, g.rankSeparately])).toEqual([
      ['I', 'so', 'Sở, ban, ngành', 10, false],
      ['II', 'huyen', 'UBND cấp huyện', 20, false],
      ['III', 'xa', 'UBND cấp xã', 30, false],
      ['IV', 'chi-nhanh', 'Chi nhánh Văn phòng đăng ký đất đai', 40, true],
    ]);
    expect(report.units.map((u: Record<string, unknown>) => [u.group, u.code, Number((u.index as number).toFixed(2)), u.rank, u.overallRank])).toEqual([
      ['so', 'S1', 100, 1, 1],
      ['so', 'S2', 50, 2, 4],
      ['huyen', 'H1', 83.33, 1, 3],
      ['xa', 'X1', 100, 1, 1],
      ['xa', 'X2', 33.33, 2, 5],
      ['chi-nhanh', 'C2', 100, 1, null],
      ['chi-nhanh', 'C1', 66.67, 2, null],
    ]);

    // Limited to one group, the section is the one of the full report; no province-wide rank is given.
    const xa = (await product.app!.inject({ method: 'GET', url: '/api/v1/reports/index?questionnaire=fx-one&from=2026-11-01&to=2026-11-30&group=xa', headers: adminHeaders })).json();
    expect(xa.groups.map((g: Record<string, unknown>) => [g.section, g.label])).toEqual([['III', 'UBND cấp xã']]);
    expect(xa.units.map((u: Record<string, unknown>) => [u.code, u.rank, u.overallRank])).toEqual([
      ['X1', 1, null],
      ['X2', 2, null],
    ]);
  });
});
