import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';

let product: Product;
beforeAll(async () => {
  product = await startProduct({}, { worker: false });
});
afterAll(async () => product?.stop());

const put = (payload: string | object, contentType = 'application/json') =>
  product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: { ...adminHeaders, 'content-type': contentType }, payload: typeof payload === 'string' ? payload : JSON.stringify(payload) });

describe('PUT /api/v1/units', () => {
  it('upserts from JSON and from a CSV upload (with BOM, Vietnamese names)', async () => {
    expect((await put([{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }])).json()).toEqual({ created: 1, updated: 0, total: 1 });
    const csv = '\uFEFFcode,name,group,parentCode\nSNV,Sở Nội vụ tỉnh,department,\nXTP,UBND xã Tân Phong,commune,HTP\n';
    expect((await put(csv, 'text/csv')).json()).toEqual({ created: 1, updated: 1, total: 2 });
    const list = (await product.app!.inject({ method: 'GET', url: '/api/v1/units', headers: adminHeaders })).json();
    expect(list.units).toEqual([
      { code: 'XTP', name: 'UBND xã Tân Phong', group: 'commune', parentCode: 'HTP' },
      { code: 'SNV', name: 'Sở Nội vụ tỉnh', group: 'department', parentCode: null },
    ]);
  });

  it('reports every bad row by number and saves nothing', async () => {
    const csv = 'code,name,group\nOK1,Đơn vị một,commune\nbad code,Tên,commune\nOK2,,commune\nOK1,Trùng mã,commune\n';
    const res = await put(csv, 'text/csv');
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.code).toBe('invalid_rows');
    expect(error.details.map((d: { row: number }) => d.row)).toEqual([2, 3, 4]);
    expect(error.details[0].message).toContain('code');
    expect(error.details[2].message).toContain('row 1');
    expect(await product.db.prisma.unit.count({ where: { code: 'OK1' } })).toBe(0);
  });

  it('refuses control characters (PostgreSQL text cannot hold U+0000) and a unit that is its own parent, row by row', async () => {
    const res = await put([
      { code: 'N1', name: 'Tên\u0000ẩn', group: 'commune' },
      { code: 'N2', name: 'Đơn vị', group: 'com\nmune' },
      { code: 'N3', name: 'Đơn vị', group: 'commune', parentCode: 'N3' },
      { code: 'N4', name: 'Đơn vị', group: 'commune', parentCode: 'P\u0000' },
    ]);
    expect(res.statusCode).toBe(422);
    const { error } = res.json();
    expect(error.details.map((d: { row: number }) => d.row)).toEqual([1, 2, 3, 4]);
    expect(error.details[0].message).toMatch(/^name: must not contain control characters/);
    expect(error.details[1].message).toMatch(/^group: must not contain control characters/);
    expect(error.details[2].message).toContain('own parent');
    expect(await product.db.prisma.unit.count({ where: { code: { startsWith: 'N' } } })).toBe(0);
  });

  it('rejects unreadable CSV, empty uploads and unknown columns clearly', async () => {
    expect((await put('code,name,group\n"unterminated,x,y\n', 'text/csv')).json().error.code).toBe('bad_request');
    expect((await put([])).json().error.message).toContain('no units');
    const extra = await put([{ code: 'A', name: 'B', group: 'c', secret: 'x' }]);
    expect(extra.statusCode).toBe(422);
    expect(extra.json().error.details[0].message).toMatch(/secret|unrecognized/i);
  });

  it('takes the documented maximum of 10,000 rows in one upload, and again as updates', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ code: `X${String(i).padStart(5, '0')}`, name: `UBND xã số ${i}`, group: 'xa', parentCode: 'HTP' }));
    expect((await put(rows)).json()).toEqual({ created: 10_000, updated: 0, total: 10_000 });
    const renamed = rows.map((r) => ({ ...r, name: `${r.name} (mới)` }));
    expect((await put(renamed)).json()).toEqual({ created: 0, updated: 10_000, total: 10_000 });
    expect(await product.db.prisma.unit.count({ where: { name: { endsWith: '(mới)' } } })).toBe(10_000);
    await product.db.prisma.unit.deleteMany({ where: { group: 'xa' } });
  });

  it('needs an admin key', async () => {
    const res = await product.app!.inject({ method: 'PUT', url: '/api/v1/units', payload: [] });
    expect(res.statusCode).toBe(401);
  });
});
