import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import { drawKeyOf } from '../../src/sampling/draw-sample.js';
import { runSamplingSoon } from '../../src/sampling/schedule-sampling.js';
import { adminHeaders } from '../support/start-product.js';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { driveSurvey, waitForNewMessages } from '../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../support/telegram-updates.js';
import type { UnitRow } from '../support/units.js';
import { waitUntil } from '../support/wait-until.js';

// A round with quotas for three units, its frame of 300 completed dossiers sampled with a
// seed, invited in two waves, undeliverable draws replaced, progress checked against the
// invitations at every step (real PostgreSQL, Redis, queues and a fake Bot API).
const UNITS: UnitRow[] = [
  { code: 'XA1', name: 'UBND xã Một', group: 'xa' },
  { code: 'XA2', name: 'UBND xã Hai', group: 'xa' },
  { code: 'SO1', name: 'Sở Tư pháp', group: 'so' },
];
const h = useTelegramProduct({ firstChatId: 7_100_000, units: UNITS });
const DAY = 86_400_000;
const iso = (t: number) => new Date(t + 7 * 3600_000).toISOString().slice(0, 10);
const dmy = (t: number) => iso(t).split('-').reverse().join('/');

const api = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, headers: Record<string, string> = adminHeaders, payload?: unknown, contentType?: string) =>
  h.product.app!.inject({ method, url: `/api/v1${url}`, headers: { ...headers, ...(contentType ? { 'content-type': contentType } : {}) }, ...(payload === undefined ? {} : { payload: payload as string }) });

/** 100 dossiers per unit: 80 eligible with a chat id, 8 completed before the window, 6 phone-only, 4 malformed days, 2 twins. */
function frameCsv(shuffle = false) {
  const now = Date.now();
  const lines: string[] = [];
  let chat = 9_000_000;
  for (const u of UNITS) {
    for (let i = 0; i < 100; i++) {
      const dossier = `${u.code}-HS-${String(i).padStart(3, '0')}`;
      const done = i < 80 ? dmy(now - (1 + (i % 20)) * DAY) : i < 88 ? dmy(now - 200 * DAY) : i < 94 ? dmy(now - 2 * DAY) : i < 98 ? '31/02/2026' : dmy(now - 3 * DAY);
      const twin = i >= 98 ? `${u.code}-HS-000` : dossier;
      const chatId = i >= 88 && i < 94 ? '' : String(chat++);
      const phone = i >= 88 && i < 94 ? `09${String(12345600 + i)}` : '';
      lines.push([u.code, 'TTHC-01', twin, done, phone, chatId].join(';'));
    }
  }
  if (shuffle) lines.reverse();
  return ['Mã đơn vị;Mã thủ tục;Mã hồ sơ;Ngày hoàn thành;Số điện thoại;Telegram chat id', ...lines].join('\r\n');
}

type Progress = { units: { unitCode: string; target: number; invited: number; sent: number; opened: number; started: number; completed: number; undeliverable: number; quotaMet: boolean }[]; total: { invited: number; sent: number; undeliverable: number } };
const progress = async (code: string) => (await api('GET', `/rounds/${code}/progress`)).json() as Progress;

/** The same funnel counted straight from the invitations table. */
async function countedFromInvitations(code: string) {
  const rows = await h.product.db.sql.$queryRaw<{ unit: string; invited: number; sent: number; undeliverable: number }[]>`
    SELECT u.code AS unit, count(*)::int AS invited, count(i.sent_at)::int AS sent, count(*) FILTER (WHERE i.status = 'undeliverable')::int AS undeliverable
    FROM invitations i JOIN units u ON u.id = i.unit_id JOIN rounds r ON r.id = i.round_id WHERE r.code = ${code} GROUP BY u.code`;
  return Object.fromEntries(rows.map((r) => [r.unit, { invited: r.invited, sent: r.sent, undeliverable: r.undeliverable }]));
}

async function expectProgressMatches(code: string) {
  const p = await progress(code);
  const truth = await countedFromInvitations(code);
  for (const u of p.units) expect({ unit: u.unitCode, invited: u.invited, sent: u.sent, undeliverable: u.undeliverable }).toEqual({ unit: u.unitCode, ...(truth[u.unitCode] ?? { invited: 0, sent: 0, undeliverable: 0 }) });
  return p;
}

const drawnDossiers = async (code: string) =>
  (await h.product.db.prisma.frameRow.findMany({ where: { round: { code }, state: { in: ['drawn', 'undeliverable'] } }, select: { dossierCode: true, unit: { select: { code: true } } } }))
    .map((r) => `${r.unit.code}/${r.dossierCode}`)
    .sort();

const settle = () => runSamplingSoon(h.product.ctx.queues);

/** Nothing of the round left to create or deliver (progress then holds still). */
async function quiescent(code: string) {
  await settle();
  await waitUntil(async () => {
    const pending = await h.product.db.prisma.invitation.count({ where: { round: { code }, status: { in: ['created', 'queued'] } } });
    const due = await h.product.db.prisma.frameRow.count({ where: { round: { code }, state: 'drawn', invitationId: null, inviteAfter: { lte: h.clock.date() } } });
    return pending === 0 && due === 0 ? true : undefined;
  }, 'round quiescent');
}

describe('a survey round sampled from completed dossiers', () => {
  let undeliverableChats: string[];
  let expected: string[];
  beforeAll(async () => {
    // Chats that blocked the bot: any of them drawn makes an undeliverable invitation.
    undeliverableChats = Array.from({ length: 12 }, (_, i) => String(9_000_000 + i * 7));
    for (const chatId of undeliverableChats) h.fake.fail({ method: 'sendMessage', chatId, errorCode: 403, description: 'Forbidden: bot was blocked by the user', times: 5 });
  });

  it('creates a round, refuses a malformed or overlapping one, and lists it', async () => {
    const now = Date.now();
    const body = {
      code: 'R2026', name: 'Đợt khảo sát năm 2026', questionnaire: 'sipas-2017', opensOn: dmy(now - DAY), closesOn: iso(now + 30 * DAY),
      eligibleFrom: iso(now - 60 * DAY), eligibleTo: iso(now), onQuotaFull: 'stop_inviting',
      quotas: [{ unitCode: 'XA1', target: 20 }, { unitCode: 'XA2', target: 20 }, { unitCode: 'SO1', target: 20 }],
    };
    const created = await api('POST', '/rounds', adminHeaders, body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ code: 'R2026', opensOn: iso(now - DAY), onQuotaFull: 'stop_inviting', closed: false, quotas: [{ unitCode: 'SO1', target: 20 }, { unitCode: 'XA1' }, { unitCode: 'XA2' }] });
    expect((await api('POST', '/rounds', adminHeaders, body)).json().error.code).toBe('round_exists');
    const overlap = await api('POST', '/rounds', adminHeaders, { ...body, code: 'R-OTHER' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error).toMatchObject({ code: 'round_overlap', message: expect.stringContaining('R2026') });
    expect((await api('POST', '/rounds', adminHeaders, { ...body, code: 'R-BAD', opensOn: iso(now + DAY), closesOn: iso(now) })).statusCode).toBe(400);
    expect((await api('POST', '/rounds', adminHeaders, { ...body, code: 'R-BAD', quotas: [{ unitCode: 'NOPE', target: 5 }] })).json().error.code).toBe('unknown_unit');
    const officer = { authorization: `Bearer ${(await createApiKey(h.product.db.prisma, { name: 'XA1 officer', role: 'officer', unitCodes: ['XA1'] })).key}` };
    expect((await api('POST', '/rounds', officer, { ...body, code: 'R-OFF' })).statusCode).toBe(403);
    expect((await api('GET', '/rounds/R2026', officer)).json().quotas).toEqual([{ unitCode: 'XA1', unitName: 'UBND xã Một', group: 'xa', target: 20 }]);
    expect((await api('GET', '/rounds')).json().rounds.map((r: { code: string }) => r.code)).toEqual(['R2026']);
  });

  it('samples the frame reproducibly, says why each rejected row was refused, and invites wave one', async () => {
    const res = await api('POST', '/rounds/R2026/frame?seed=hoi-an-2026&waves=2&waveHours=24', adminHeaders, frameCsv(), 'text/csv');
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ round: 'R2026', seed: 'hoi-an-2026', rows: 300, accepted: 240, added: 240 });
    const reasons = (code: string) => out.rejected.filter((r: { code: string }) => r.code === code).length;
    expect({ outside: reasons('outside_window'), unreachable: reasons('unreachable'), invalid: reasons('invalid'), duplicate: reasons('duplicate') }).toEqual({ outside: 24, unreachable: 18, invalid: 12, duplicate: 6 });
    expect(out.rejected.find((r: { code: string }) => r.code === 'invalid').reason).toMatch(/completedOn: "31\/02\/2026" is not a calendar day/);
    expect(out.rejected.find((r: { code: string }) => r.code === 'unreachable').reason).toMatch(/chat id|reachable/);
    expect(out.units).toEqual(UNITS.map((u) => ({ unitCode: u.code, target: 20, eligible: 80, sampleSize: 20, drawn: 20, drawnNow: 20 })).sort((a, b) => a.unitCode.localeCompare(b.unitCode)));

    // The sample is the first 20 eligible dossiers of each unit in the seeded order, whatever the row order.
    const eligible = UNITS.flatMap((u) => Array.from({ length: 80 }, (_, i) => ({ unit: u.code, dossier: `${u.code}-HS-${String(i).padStart(3, '0')}` })));
    expected = UNITS.flatMap((u) =>
      eligible.filter((e) => e.unit === u.code).sort((a, b) => (drawKeyOf('hoi-an-2026', a.unit, a.dossier) < drawKeyOf('hoi-an-2026', b.unit, b.dossier) ? -1 : 1)).slice(0, 20).map((e) => `${e.unit}/${e.dossier}`),
    ).sort();
    expect(await drawnDossiers('R2026')).toEqual(expected);
    expect((await h.product.db.prisma.round.findUniqueOrThrow({ where: { code: 'R2026' } })).sampleSeed).toBe('hoi-an-2026');

    // Wave one (10 per unit) is invited now; wave two waits a day.
    await quiescent('R2026');
    const wave1 = await h.product.db.prisma.frameRow.count({ where: { round: { code: 'R2026' }, wave: 1, invitationId: { not: null } } });
    expect(wave1).toBeGreaterThanOrEqual(30);
    expect(await h.product.db.prisma.frameRow.count({ where: { round: { code: 'R2026' }, wave: 2, invitationId: { not: null } } })).toBe(0);
    await expectProgressMatches('R2026');
  });

  it('draws the same sample from the same frame and seed in another round, rows in another order', async () => {
    const now = Date.now();
    const created = await api('POST', '/rounds', adminHeaders, {
      code: 'R2027', name: 'Đợt sau', questionnaire: 'sipas-2017', opensOn: iso(now + 60 * DAY), closesOn: iso(now + 90 * DAY), eligibleFrom: iso(now - 60 * DAY), eligibleTo: iso(now),
      quotas: UNITS.map((u) => ({ unitCode: u.code, target: 20 })),
    });
    expect(created.statusCode, created.body).toBe(201);
    const res = await api('POST', '/rounds/R2027/frame?seed=hoi-an-2026', adminHeaders, frameCsv(true).replace(/;/g, ','), 'text/csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(await drawnDossiers('R2027')).toEqual(expected);
    // A round that has not opened invites nobody yet.
    await settle();
    expect(await h.product.db.prisma.invitation.count({ where: { round: { code: 'R2027' } } })).toBe(0);
    expect((await api('POST', '/rounds/R2027/frame?seed=other', adminHeaders, frameCsv(), 'text/csv')).json().error.code).toBe('seed_fixed');
  });

  it('replaces undeliverable draws from the same unit and invites wave two when it is due', async () => {
    const undeliverable = await h.product.db.prisma.invitation.count({ where: { round: { code: 'R2026' }, status: 'undeliverable' } });
    expect(undeliverable, 'some drawn citizens blocked the bot').toBeGreaterThan(0);
    await waitUntil(async () => {
      await settle();
      return (await h.product.db.prisma.frameRow.count({ where: { round: { code: 'R2026' }, state: 'undeliverable' } })) === undeliverable ? true : undefined;
    }, 'undeliverable draws noticed');
    await quiescent('R2026');
    // Every unit still has 20 live draws: each undeliverable one was replaced from its own unit.
    const live = await h.product.db.prisma.frameRow.groupBy({ by: ['unitId'], where: { round: { code: 'R2026' }, state: 'drawn' }, _count: { _all: true } });
    expect(live.map((l) => l._count._all)).toEqual([20, 20, 20]);
    await expectProgressMatches('R2026');

    h.clock.offsetMs = 25 * 3600_000;
    await quiescent('R2026');
    expect(await h.product.db.prisma.frameRow.count({ where: { round: { code: 'R2026' }, wave: 2, invitationId: { not: null } } })).toBeGreaterThanOrEqual(30);
    const p = await expectProgressMatches('R2026');
    const invitations = await h.product.db.prisma.invitation.count({ where: { round: { code: 'R2026' } } });
    // Officers follow the round's invitations in the list, by round.
    const listed = (await api('GET', '/invitations?round=R2026&limit=200')).json();
    expect(listed.items).toHaveLength(invitations);
    expect(listed.items.every((i: { round: string }) => i.round === 'R2026')).toBe(true);
    expect(p.total.invited).toBe(invitations);
    expect(p.total.undeliverable).toBeGreaterThanOrEqual(undeliverable);
  });

  it('stops inviting for a unit whose quota is full, with a clear 409', async () => {
    const set = await api('PATCH', '/rounds/R2026', adminHeaders, { quotas: [{ unitCode: 'XA1', target: 1 }, { unitCode: 'XA2', target: 20 }, { unitCode: 'SO1', target: 20 }] });
    expect(set.statusCode, set.body).toBe(200);
    const inv = await api('POST', '/invitations', adminHeaders, { unitCode: 'XA1', channel: 'telegram', dossierCode: 'XA1-EXTRA-1' });
    expect(inv.statusCode).toBe(201);
    const done = await driveSurvey(h.product.app!, h.fake, 7_100_900, `/start ${inv.json().token}`);
    expect(done.finalText).toMatch(/cảm ơn/i);
    await waitUntil(async () => ((await progress('R2026')).units.find((u) => u.unitCode === 'XA1')!.quotaMet ? true : undefined), 'quota met');
    const refused = await api('POST', '/invitations', adminHeaders, { unitCode: 'XA1', channel: 'telegram', dossierCode: 'XA1-EXTRA-2' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'quota_full', message: expect.stringMatching(/XA1.*quota.*R2026/) });
    // The other units still take invitations.
    expect((await api('POST', '/invitations', adminHeaders, { unitCode: 'XA2', channel: 'telegram', dossierCode: 'XA2-EXTRA-1' })).statusCode).toBe(201);
    const xa1 = (await progress('R2026')).units.find((u) => u.unitCode === 'XA1')!;
    expect(xa1).toMatchObject({ target: 1, completed: 1, quotaMet: true });
  });

  it('lets an officer upload its own units only, and counts open-survey responses in the round', async () => {
    const officer = { authorization: `Bearer ${(await createApiKey(h.product.db.prisma, { name: 'XA1 frame officer', role: 'officer', unitCodes: ['XA1'] })).key}` };
    const viewer = { authorization: `Bearer ${(await createApiKey(h.product.db.prisma, { name: 'viewer', role: 'viewer', unitCodes: [] })).key}` };
    const day = dmy(Date.now() - 2 * DAY);
    const rows = [
      { unitCode: 'XA1', dossierCode: 'XA1-LATE-1', completedOn: day, telegramChatId: '9500001' },
      { unitCode: 'XA2', dossierCode: 'XA2-LATE-1', completedOn: day, telegramChatId: '9500002' },
    ];
    expect((await api('POST', '/rounds/R2026/frame', viewer, rows)).statusCode).toBe(403);
    const res = await api('POST', '/rounds/R2026/frame', officer, rows);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rejected).toEqual([{ row: 2, code: 'unit_not_in_round', reason: expect.stringContaining('XA2') }]);
    expect(res.json().units).toEqual([expect.objectContaining({ unitCode: 'XA1', eligible: 81, drawnNow: 0 })]);
    // The officer follows its own unit only; a viewer (no units of its own) follows every unit.
    expect((await api('GET', '/rounds/R2026/progress', officer)).json().units.map((u: { unitCode: string }) => u.unitCode)).toEqual(['XA1']);
    expect((await api('GET', '/rounds/R2026/progress', viewer)).json().units.map((u: { unitCode: string }) => u.unitCode).sort()).toEqual(['SO1', 'XA1', 'XA2']);

    const before = (await progress('R2026')).units.find((u) => u.unitCode === 'XA2')! as unknown as { completedOpen: number };
    await driveSurvey(h.product.app!, h.fake, 7_100_950, '/start u_XA2');
    const after = await waitUntil(async () => {
      const u = (await progress('R2026')).units.find((x) => x.unitCode === 'XA2')! as unknown as { completedOpen: number };
      return u.completedOpen > before.completedOpen ? u : undefined;
    }, 'open response counted in the round');
    expect(after.completedOpen).toBe(before.completedOpen + 1);
    // Counted once per person, unit and round: the mark names the round.
    expect(await h.product.db.prisma.countedMark.count({ where: { period: 'round:R2026' } })).toBeGreaterThanOrEqual(2);
    const seen = h.fake.acceptedSendsTo(7_100_950).length;
    await postUpdate(h.product.app!, tgUpdate.text(7_100_950, '/start u_XA2'));
    expect(String((await waitForNewMessages(h.fake, 7_100_950, seen)).at(-1)!.body.text)).toMatch(/đã được ghi nhận/);
  });

  it('reports over the round as its period', async () => {
    const report = await api('GET', '/reports/index?round=R2026');
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().periodName).toBe('round-R2026');
    expect((await api('GET', '/reports/index?round=R2026&period=2026')).statusCode).toBe(400);
    expect((await api('GET', '/reports/index?round=NOPE')).statusCode).toBe(404);
  });

  it('closing the round early forgets the frame rows that were never drawn', async () => {
    const pool = await h.product.db.prisma.frameRow.count({ where: { round: { code: 'R2026' }, state: 'pool' } });
    expect(pool).toBeGreaterThan(0);
    const closed = await api('PATCH', '/rounds/R2026', adminHeaders, { close: true });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ closed: true, closesOn: iso(Date.now()) });
    expect(await h.product.db.prisma.frameRow.count({ where: { round: { code: 'R2026' }, state: 'pool' } })).toBe(0);
    const kept = await h.product.db.prisma.frameRow.findMany({ where: { round: { code: 'R2026' } } });
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.every((r) => r.recipientChatId === null && r.recipientPhone === null && r.dossierCode === null)).toBe(true);
    expect((await api('PATCH', '/rounds/R2026', adminHeaders, { closesOn: iso(Date.now() + 5 * DAY) })).json().error.code).toBe('round_closed');
    expect((await api('POST', '/rounds/R2026/frame', adminHeaders, frameCsv(), 'text/csv')).json().error.code).toBe('round_closed');
  });
});
