import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { criterionBindings } from '../../src/scoring/index-bindings.js';
import { insertResponses } from '../support/scoring-database.js';
import { likert } from '../support/scoring-fixtures.js';
import { adminHeaders } from '../support/start-product.js';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { waitForNewMessages } from '../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../support/telegram-updates.js';

const h = useTelegramProduct({
  firstChatId: 5_600_001,
  units: [
    { code: 'SNV', name: 'Sở Nội vụ', group: 'department' },
    { code: 'STP', name: 'Sở Tư pháp', group: 'department' },
    { code: 'SXD', name: 'Sở Xây dựng', group: 'department' },
  ],
});
const sipas2017 = loadBuiltinQuestionnaires().find((d) => d.code === 'sipas-2017' && d.version === 1)!;
const patch = (code: string, payload: object, headers: Record<string, string> = adminHeaders) =>
  h.product.app!.inject({ method: 'PATCH', url: `/api/v1/units/${code}`, headers, payload });
const reportUnits = async (from: string, to: string) => {
  const res = await h.product.app!.inject({ method: 'GET', url: `/api/v1/reports/index?questionnaire=sipas-2017@1&from=${from}&to=${to}&format=json`, headers: adminHeaders });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { units: { code: string }[] }).units.map((u) => u.code).sort();
};

/** What the bot answers a citizen who scans the unit's QR (`/start u_<code>`). */
async function openStart(chatId: number, unitCode: string): Promise<string> {
  expect((await postUpdate(h.product.app!, tgUpdate.text(chatId, `/start u_${unitCode}`))).statusCode).toBe(200);
  const [reply] = await waitForNewMessages(h.fake, chatId, 0);
  return String(reply!.body.text);
}

beforeAll(async () => {
    // STP has one response in November 2026; SXD none.
  const q = await h.product.db.prisma.questionnaire.findFirstOrThrow({ where: { code: 'sipas-2017', version: 1 } });
  const stp = await h.product.db.prisma.unit.findUniqueOrThrow({ where: { code: 'STP' } });
  const answers = criterionBindings(sipas2017).map((b) => likert(b.questionCode, 4));
  await insertResponses(h.product.db.prisma, { id: q.id, definition: sipas2017 }, [{ unitId: stp.id, day: '2026-11-10', status: 'completed', answers }]);
});

describe('PATCH /api/v1/units/:code', () => {
  it('renames, regroups and deactivates a unit, audited; only admins may', async () => {
    const res = await patch('SNV', { name: 'Sở Nội vụ tỉnh', group: 'so' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ unit: { code: 'SNV', name: 'Sở Nội vụ tỉnh', group: 'so', parentCode: null, active: true }, changed: ['name', 'group'] });
    expect((await patch('SNV', { group: 'department' })).json().changed).toEqual(['group']);
    const audit = await h.product.db.prisma.auditLog.findMany({ where: { action: 'units.update' } });
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => a.details)).toEqual(expect.arrayContaining([
      { code: 'SNV', changed: ['name', 'group'], name: 'Sở Nội vụ tỉnh', group: 'so' },
      { code: 'SNV', changed: ['group'], group: 'department' },
    ]));

    const officer = (await createApiKey(h.product.db.prisma, { name: 'o', role: 'officer', unitCodes: ['SNV'] })).key;
    expect((await patch('SNV', { active: false }, { authorization: `Bearer ${officer}` })).statusCode).toBe(403);
    expect((await patch('SNV', { active: false }, {})).statusCode).toBe(401);
    expect((await patch('NOPE', { active: false })).statusCode).toBe(404);
    expect((await patch('SNV', {})).statusCode).toBe(400);
    expect((await patch('SNV', { code: 'X' })).statusCode).toBe(400);
    expect((await patch('SNV', { active: 'no' })).statusCode).toBe(400);
  });

  it('an inactive unit gets no new invitation and no open-survey start, and is listed no more', async () => {
    expect((await patch('SXD', { active: false })).json().unit.active).toBe(false);
    const inv = await h.product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SXD', channel: 'telegram', recipient: { telegramChatId: '5600001' } } });
    expect(inv.statusCode).toBe(422);
    expect(inv.json().error.code).toBe('unknown_unit');
    const list = (await h.product.app!.inject({ method: 'GET', url: '/api/v1/units', headers: adminHeaders })).json() as { units: { code: string }[] };
    expect(list.units.map((u) => u.code)).not.toContain('SXD');

    // A QR of the unit still at the counter no longer starts a survey for it (the citizen names an active unit).
    expect(await openStart(5_600_003, 'STP')).toContain('Đơn vị được khảo sát: Sở Tư pháp.');
    expect(await openStart(5_600_002, 'SXD')).not.toContain('Sở Xây dựng');

    // Active again: invitations work.
    expect((await patch('SXD', { active: true })).json().changed).toEqual(['active']);
    const again = await h.product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SXD', channel: 'telegram', recipient: { telegramChatId: '5600001' } } });
    expect(again.statusCode, again.body).toBe(201);
  });

  it('a period report leaves out inactive units without responses in it, and keeps those with responses', async () => {
    expect(await reportUnits('2026-11-01', '2026-11-30')).toEqual(['SNV', 'STP', 'SXD']);
    await patch('SXD', { active: false });
    await patch('STP', { active: false });
    // SXD had no response: gone; STP answered in November: still reported for November, not for October.
    expect(await reportUnits('2026-11-01', '2026-11-30')).toEqual(['SNV', 'STP']);
    expect(await reportUnits('2026-10-01', '2026-10-31')).toEqual(['SNV']);
    await patch('STP', { active: true });
    await patch('SXD', { active: true });
  });
});
