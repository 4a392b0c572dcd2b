import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import type { IndexReport } from '../../src/scoring/report-schema.js';
import { seedCompletedResponses, type SeededResponse } from '../support/seed-answers.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { waitUntil } from '../support/wait-until.js';

/*
 * Finding 1 of the integrity issue, replayed. Victim A is the only respondent of the
 * district group (unit H1); victim B answered at SNV on 20 November, a day after the
 * unit's other respondents. Both answered every criterion 1 and gave profile answers no one
 * else gave. A viewer tries (1) all units minus the other groups and (2) "to the 20th"
 * minus "to the 19th"; an admin tries (2) on the microdata export.
 */
let product: Product;
let viewer: { authorization: string };
const def = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2017' && d.version === 2)!;
const ordinary = { gender: 'nam', age_band: '25-34', education: 'thpt', occupation: 'kinh_doanh', extra_fee: false, harassment: false };
const victimProfile = { gender: 'nu', age_band: '60_plus', education: 'tren_dai_hoc', occupation: 'nghi_huu', extra_fee: true, harassment: true };

const respondents = (unitCode: string, n: number, day: string, score: number): SeededResponse[] =>
  Array.from({ length: n }, (_, i) => ({ unitCode, at: `${day}T03:00:00Z`, score: () => 3 + ((i + score) % 3), extra: ordinary, externalId: `${unitCode}-${i}` }));

beforeAll(async () => {
  product = await startProduct({ REPORT_PERIOD: 'month' }, { now: () => new Date('2026-12-05T03:00:00Z') });
  const units = [
    { code: 'SNV', name: 'Sở Nội vụ', group: 'Sở' },
    { code: 'STP', name: 'Sở Tư pháp', group: 'Sở' },
    { code: 'XTP', name: 'UBND xã Tân Phong', group: 'Xã' },
    { code: 'XTA', name: 'UBND xã Tân An', group: 'Xã' },
    { code: 'H1', name: 'UBND huyện Một', group: 'Huyện' },
  ];
  expect((await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: units })).statusCode).toBe(200);
  viewer = { authorization: `Bearer ${(await createApiKey(product.db.prisma, { name: 'viewer', role: 'viewer', unitCodes: [] })).key}` };
  const seeded = [
    ...respondents('SNV', 8, '2026-11-10', 0),
    ...respondents('STP', 6, '2026-11-12', 1),
    ...respondents('XTP', 7, '2026-11-14', 2),
    ...respondents('XTA', 5, '2026-11-16', 0),
    { unitCode: 'H1', at: '2026-11-18T03:00:00Z', score: () => 1, extra: victimProfile, externalId: 'victim-a' },
    { unitCode: 'SNV', at: '2026-11-20T03:00:00Z', score: () => 1, extra: victimProfile, externalId: 'victim-b' },
  ];
  await seedCompletedResponses(product, def, seeded);
  await waitUntil(async () => (await product.db.prisma.response.count({ where: { status: 'completed' } })) === seeded.length, 'all responses stored');
});
afterAll(async () => product?.stop());

const report = async (query: string, headers = viewer) => {
  const res = await product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?questionnaire=sipas-2017&${query}`, headers });
  return { status: res.statusCode, body: res.json() as IndexReport & { error?: { message: string } } };
};

type Vector = Map<string, number>;
type Cell = { responses: number | null; nodes: IndexReport['overall']['nodes']; options?: IndexReport['overall']['options'] };

/** Everything a published cell counts, as one vector: responses, answers per level of every criterion, option counts. */
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
  for (const q of cell.options ?? []) for (const o of q.shares) v.set(`${q.code}=${o.option}`, o.count);
  return v;
}

function minus(a: Vector, ...bs: Vector[]): Vector {
  const out = new Map(a);
  for (const b of bs) for (const [k, n] of b) out.set(k, (out.get(k) ?? 0) - n);
  return out;
}

/** What a residual reveals about one person: nothing unless it holds exactly one response. */
function isolatesSomeone(residual: Vector | null): boolean {
  if (residual === null) return false;
  const n = residual.get('responses')!;
  return n > 0 && n < 5;
}

describe('the differencing attacks of finding 1 recover nothing', () => {
  it('all units minus the other groups (viewer key)', async () => {
    const all = await report('period=2026-11');
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const byGroup: Record<string, IndexReport> = {};
    for (const g of ['Sở', 'Xã', 'Huyện']) {
      const r = await report(`period=2026-11&group=${encodeURIComponent(g)}`);
      expect(r.status).toBe(200);
      byGroup[g] = r.body;
    }
    // The victim's unit and group publish no counts at all, in any report.
    for (const r of [all.body, byGroup['Huyện']!]) {
      expect(r.units.find((u) => u.code === 'H1')).toMatchObject({ responses: null, bySource: null, flagged: null, index: null, suppressed: true, options: [] });
      expect(r.groups.find((g) => g.group === 'Huyện')).toMatchObject({ responses: null, suppressed: true });
    }
    expect(byGroup['Huyện']!.overall).toMatchObject({ responses: null, index: null, suppressed: true });

    // The attack as it was: the overall block minus the two other groups' reports.
    const overall = vectorOf(all.body.overall);
    const others = [vectorOf(byGroup['Sở']!.overall), vectorOf(byGroup['Xã']!.overall)];
    const literal = overall && others.every(Boolean) ? minus(overall, ...(others as Vector[])) : null;
    expect(isolatesSomeone(literal)).toBe(false);

    // And every finer subtraction: the overall minus every published group and every published unit of a withheld group.
    if (overall) {
      const publishedGroups = all.body.groups.filter((g) => g.responses !== null);
      const withheldGroups = new Set(all.body.groups.filter((g) => g.responses === null).map((g) => g.group));
      const publishedUnitsBehind = all.body.units.filter((u) => withheldGroups.has(u.group) && u.responses !== null);
      const residual = minus(overall, ...publishedGroups.map((g) => vectorOf(g)!), ...publishedUnitsBehind.map((u) => vectorOf(u)!));
      expect(isolatesSomeone(residual)).toBe(false);
      // Option counts are published on units and the overall only: the overall minus every published unit.
      const units = all.body.units.filter((u) => u.responses !== null).map((u) => vectorOf(u)!);
      expect(isolatesSomeone(minus(overall, ...units))).toBe(false);
    }
    // Each published group minus its published units.
    for (const g of all.body.groups.filter((x) => x.responses !== null)) {
      const units = all.body.units.filter((u) => u.group === g.group && u.responses !== null).map((u) => vectorOf(u)!);
      expect(isolatesSomeone(minus(vectorOf(g)!, ...units)), g.group).toBe(false);
    }
  });

  it('"to the 20th" minus "to the 19th" (viewer key): only whole ended periods can be asked for', async () => {
    for (const query of ['to=2026-11-20', 'to=2026-11-19', 'from=2026-11-20&to=2026-11-20', 'to=20/11/2026', 'period=2026-12', 'period=2026-Q4']) {
      const r = await report(`${query}&group=${encodeURIComponent('Sở')}`);
      expect(r.status, query).toBe(400);
      expect(r.body.error!.message).toMatch(/whole|not ended/);
    }
    // The periods a viewer may ask for do not overlap: November minus October is November.
    const nov = await report(`period=2026-11&group=${encodeURIComponent('Sở')}`);
    const oct = await report(`period=2026-10&group=${encodeURIComponent('Sở')}`);
    expect(oct.body.overall.responses).toBeNull();
    expect(nov.body.overall.responses).toBe(15);
    expect(nov.body.period).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(oct.body.period).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });

  it('the microdata export cannot be subtracted either, and an admin free-range report is audited', async () => {
    for (const query of ['to=2026-11-20', 'from=2026-11-20&to=2026-11-20']) {
      const res = await product.app!.inject({ method: 'GET', url: `/api/v1/responses/export?questionnaire=sipas-2017&format=csv&${query}`, headers: adminHeaders });
      expect(res.statusCode, query).toBe(400);
    }
    const free = await report('from=2026-11-19&to=2026-11-20', adminHeaders);
    expect(free.status).toBe(200);
    const audit = await product.db.prisma.auditLog.findFirst({ where: { action: 'report.download' }, orderBy: { at: 'desc' } });
    expect(audit?.details).toMatchObject({ from: '2026-11-19', to: '2026-11-20', freeRange: true });
  });
});
