import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyZaloError } from '../../../src/channels/zalo/classify-zalo-error.js';
import { clearZaloUnreachable, recordZaloFailure } from '../../../src/channels/zalo/zalo-recipient-records.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

let db: TestDatabase;
let unitId: number;
let questionnaireId: number;

beforeAll(async () => {
  db = await createTestDatabase();
  unitId = (await db.prisma.unit.create({ data: { code: 'U1', name: 'UBND xã A', group: 'commune' } })).id;
  questionnaireId = (await db.prisma.questionnaire.create({ data: { code: 'q', version: 1, title: 'Q', definition: {} } })).id;
});
afterAll(async () => {
  await db?.drop();
});

const invitation = (status: 'sent' | 'started' = 'sent') =>
  db.prisma.invitation.create({
    data: { token: randomUUID(), code: randomUUID().slice(0, 8), channel: 'zalo', unitId, questionnaireId, recipientPhone: '84912345678', status, expiresAt: new Date(Date.now() + 86_400_000) },
  });
const respondent = (externalId: string) => db.prisma.respondent.findUnique({ where: { channel_externalId: { channel: 'zalo', externalId } } });

describe('recordZaloFailure', () => {
  it('silent (-230/-232) marks the respondent unreachable by CS, creating it if needed', async () => {
    const now = new Date('2025-03-10T10:00:00Z');
    expect(await recordZaloFailure(db.prisma, classifyZaloError(-230, '', 'cs'), { userId: 'u-silent' }, now)).toBe('respondent_unreachable');
    expect(await respondent('u-silent')).toMatchObject({ unreachableAt: now, unreachableReason: 'zalo_cs_silent (error -230)' });
  });

  it.each([-213, -217, -244])('%i marks the respondent unreachable', async (code) => {
    const userId = `u${code}`;
    await db.prisma.respondent.create({ data: { channel: 'zalo', externalId: userId } });
    await recordZaloFailure(db.prisma, classifyZaloError(code, '', 'cs'), { userId });
    expect(await respondent(userId)).toMatchObject({ unreachableReason: `zalo_unreachable (error ${code})` });
    expect((await respondent(userId))?.unreachableAt).toBeInstanceOf(Date);
  });

  it('ZNS -108 / -118 / a locally refused phone make the invitation undeliverable with the reason', async () => {
    const a = await invitation();
    const b = await invitation();
    const c = await invitation();
    await recordZaloFailure(db.prisma, classifyZaloError(-108, '', 'zns'), { invitationId: a.id });
    await recordZaloFailure(db.prisma, classifyZaloError(-118, '', 'zns'), { invitationId: b.id });
    await recordZaloFailure(db.prisma, { kind: 'undeliverable', code: null, message: '', reason: 'bad_phone' }, { invitationId: c.id });
    const rows = await db.prisma.invitation.findMany({ where: { id: { in: [a.id, b.id, c.id] } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(a.id)).toMatchObject({ status: 'undeliverable', statusReason: 'zns_bad_phone (error -108)' });
    expect(byId.get(b.id)).toMatchObject({ status: 'undeliverable', statusReason: 'zns_no_zalo_account (error -118)' });
    expect(byId.get(c.id)).toMatchObject({ status: 'undeliverable', statusReason: 'zns_bad_phone (local)' });
  });

  it('never overwrites a started invitation, and transient failures change nothing', async () => {
    const started = await invitation('started');
    expect(await recordZaloFailure(db.prisma, classifyZaloError(-118, '', 'zns'), { invitationId: started.id })).toBe('none');
    expect((await db.prisma.invitation.findUniqueOrThrow({ where: { id: started.id } })).status).toBe('started');
    for (const code of [-32, -234, -216, -999]) {
      expect(await recordZaloFailure(db.prisma, classifyZaloError(code, '', 'cs'), { userId: 'u-transient', invitationId: started.id })).toBe('none');
    }
    expect(await respondent('u-transient')).toBeNull();
  });

  it('clearZaloUnreachable reopens CS for a user who writes again', async () => {
    await recordZaloFailure(db.prisma, classifyZaloError(-232, '', 'cs'), { userId: 'u-back' });
    await clearZaloUnreachable(db.prisma, 'u-back');
    expect(await respondent('u-back')).toMatchObject({ unreachableAt: null, unreachableReason: null });
  });
});
