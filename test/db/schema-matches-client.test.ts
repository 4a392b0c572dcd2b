import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

// Exercises every model and column through the generated client: a migration that
// drifts from prisma/schema.prisma fails here.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db.drop());

describe('migrated schema matches the Prisma client', () => {
  it('writes and reads every model with every field', async () => {
    const p = db.prisma;
    const unit = await p.unit.create({ data: { code: 'SNV', name: 'Sở Nội vụ', group: 'department', parentCode: 'TINH' } });
    await p.unitGroup.create({ data: { code: 'branch', label: 'Chi nhánh', order: 9, rankSeparately: true } });
    const groupBack = await p.unitGroup.findUniqueOrThrow({ where: { code: 'department' }, include: { units: true } });
    expect([groupBack.label, groupBack.order, groupBack.rankSeparately, groupBack.units[0]?.code, groupBack.updatedAt >= groupBack.createdAt]).toEqual(['department', 1, false, 'SNV', true]);
    expect((await p.unit.findUniqueOrThrow({ where: { code: 'SNV' }, include: { unitGroup: true } })).unitGroup.code).toBe('department');
    const q = await p.questionnaire.create({ data: { code: 'x', version: 1, title: 'X', definition: { a: 1 }, active: true } });
    const inv = await p.invitation.create({
      data: {
        token: 't'.repeat(40), code: 'ABC123', channel: 'telegram', unitId: unit.id, questionnaireId: q.id,
        procedureCode: 'P1', dossierCode: 'D1', dossierHash: 'h'.repeat(64), recipientPhone: '84900000000', recipientChatId: '1', recipientZaloId: '2',
        status: 'sent', statusReason: 'r', createdByKeyId: '00000000-0000-0000-0000-000000000001', queuedAt: new Date(), sentAt: new Date(),
        openedAt: new Date(), startedAt: new Date(), completedAt: new Date(), completedDay: new Date('2026-11-22'), expiredAt: new Date(), expiresAt: new Date(), remindersSent: 1,
      },
    });
    const respondent = await p.respondent.create({
      data: { channel: 'zalo', externalId: '1234567890123456789', optedOutAt: new Date(), unreachableAt: new Date(), unreachableReason: 'x' },
    });
    const response = await p.response.create({
      data: {
        id: '00000000-0000-0000-0000-0000000000aa', questionnaireId: q.id, unitId: unit.id, invitationId: inv.id, respondentId: respondent.id,
        channel: 'zalo', procedureCode: 'P1', status: 'completed', completedAt: new Date(), completedDay: new Date('2026-11-22'),
        source: 'invited', counted: false, qualityFlags: ['too_fast'], startedAt: null,
      },
    });
    const answer = await p.answer.create({ data: { responseId: response.id, questionCode: '1.1', status: 'answered', score: 5, value: 5, seq: 3 } });
    expect(typeof answer.id).toBe('bigint');
    await expect(p.answer.create({ data: { responseId: response.id, questionCode: '1.1', status: 'not_applicable', seq: 4 } })).rejects.toThrow();
    await p.criterionRollup.create({ data: { questionnaireId: q.id, unitId: unit.id, criterionCode: '1.1', day: new Date('2026-11-22'), segment: 3, c1: 1, c2: 2, c3: 3, c4: 4, c5: 5, cNa: 6 } });
    await p.optionRollup.create({ data: { questionnaireId: q.id, unitId: unit.id, questionCode: 'gender', option: 'female', day: new Date('2026-11-22'), count: 2 } });
    await p.criterionRollupMonthly.create({ data: { questionnaireId: q.id, unitId: unit.id, criterionCode: '1.1', month: new Date('2026-11-01'), c1: 1, c2: 2, c3: 3, c4: 4, c5: 5, cNa: 7 } });
    await p.optionRollupMonthly.create({ data: { questionnaireId: q.id, unitId: unit.id, questionCode: 'gender', option: 'female', month: new Date('2026-11-01'), count: 3 } });
    await p.countedMark.create({ data: { mark: 'm'.repeat(64), period: '2026' } });
    await p.creatorDayCount.create({ data: { creatorKeyId: '00000000-0000-0000-0000-000000000001', unitId: unit.id, day: new Date('2026-11-22'), completed: 4 } });
    const key = await p.apiKey.create({ data: { name: 'k', prefix: 'abc', hash: 'h', role: 'officer', unitCodes: ['SNV'], revokedAt: new Date(), lastUsedAt: new Date() } });
    await p.auditLog.create({ data: { actor: key.id, action: 'x', details: { y: 1 } } });
    const user = await p.user.create({ data: { username: 'u', displayName: 'Người dùng', role: 'officer', unitCodes: ['SNV'], passwordHash: 'scrypt$x', disabledAt: new Date(), lastLoginAt: new Date() } });
    expect([user.unitCodes, user.updatedAt >= user.createdAt]).toEqual([['SNV'], true]);
    await expect(p.user.create({ data: { username: 'u', displayName: 'x', role: 'viewer', passwordHash: 'h' } })).rejects.toThrow();
    await p.outboundMessage.create({
      data: { channel: 'telegram', recipient: '1', kind: 'question', status: 'sent', invitationId: inv.id, platformMessageId: '9', errorCode: 'e', errorMessage: 'm', attempts: 2, sentAt: new Date() },
    });
    await p.zaloToken.create({ data: { oaId: '1', accessToken: 'a', refreshToken: 'r', accessExpiresAt: new Date(), version: 1, lastError: null } });
    const round = await p.round.create({
      data: {
        code: 'R1', name: 'Đợt 1', questionnaireId: q.id, opensOn: new Date('2026-11-01'), closesOn: new Date('2026-12-31'), eligibleFrom: new Date('2026-10-01'), eligibleTo: new Date('2026-12-31'),
        onQuotaFull: 'stop_inviting', closedAt: new Date(), sampleSeed: 'seed', quotas: { create: [{ unitId: unit.id, target: 90 }] },
      },
    });
    await p.invitation.update({ where: { id: inv.id }, data: { roundId: round.id, isTest: true, unopenedReminderAt: new Date() } });
    await p.response.update({ where: { id: response.id }, data: { roundId: round.id, isTest: true } });
    await p.frameRow.create({
      data: { roundId: round.id, unitId: unit.id, procedureCode: 'P1', dossierCode: 'D9', completedOn: new Date('2026-11-20'), channel: 'telegram', recipientPhone: '84900000000', recipientChatId: '5', recipientZaloId: '6', drawKey: 'k', state: 'drawn', wave: 2, inviteAfter: new Date(), invitationId: inv.id },
    });
    await p.invitationBatch.create({ data: { id: '00000000-0000-0000-0000-0000000000bb', createdByKeyId: key.id, status: 'done', total: 3, processed: 3, created: 1, existing: 1, errors: 1, pending: [{ a: 1 }], results: [{ row: 1 }], finishedAt: new Date() } });
    const roundBack = await p.round.findUniqueOrThrow({ where: { code: 'R1' }, include: { quotas: true, invitations: true, responses: true, frameRows: true, questionnaire: true } });
    expect([roundBack.quotas[0]?.target, roundBack.invitations[0]?.isTest, roundBack.responses[0]?.isTest, roundBack.frameRows[0]?.wave, roundBack.sampleSeed]).toEqual([90, true, true, 2, 'seed']);
    expect((await p.invitationBatch.findFirstOrThrow()).results).toEqual([{ row: 1 }]);
    await p.procedure.create({ data: { code: 'P1', name: 'Đăng ký khai sinh', field: 'Hộ tịch' } });
    expect(await p.procedure.findUniqueOrThrow({ where: { code: 'P1' } })).toMatchObject({ name: 'Đăng ký khai sinh', field: 'Hộ tịch', createdAt: expect.any(Date), updatedAt: expect.any(Date) });

    const full = await p.response.findUniqueOrThrow({
      where: { id: response.id },
      include: { answers: true, unit: true, questionnaire: true, invitation: true, respondent: true },
    });
    expect(full.answers[0]?.score).toBe(5);
    expect(full.invitation?.code).toBe('ABC123');
    expect(full.respondent?.externalId).toBe('1234567890123456789');
    expect(full.completedDay?.toISOString().slice(0, 10)).toBe('2026-11-22');
    expect([full.source, full.counted, full.qualityFlags, full.startedAt, full.invitation?.dossierHash]).toEqual(['invited', false, ['too_fast'], null, 'h'.repeat(64)]);
    expect((await p.criterionRollup.findFirstOrThrow()).segment).toBe(3);
    expect((await p.countedMark.findFirstOrThrow()).period).toBe('2026');
    expect((await p.creatorDayCount.findFirstOrThrow()).completed).toBe(4);
    expect((await p.criterionRollup.findFirstOrThrow()).cNa).toBe(6);
    expect((await p.optionRollup.findFirstOrThrow()).count).toBe(2);
    expect((await p.criterionRollupMonthly.findFirstOrThrow()).cNa).toBe(7);
    expect((await p.optionRollupMonthly.findFirstOrThrow()).count).toBe(3);
    expect((await p.apiKey.findFirstOrThrow()).unitCodes).toEqual(['SNV']);
    expect(await p.auditLog.count()).toBe(1);
    expect((await p.outboundMessage.findFirstOrThrow()).attempts).toBe(2);
    expect((await p.zaloToken.findFirstOrThrow()).version).toBe(1);
    expect((await p.unit.findFirstOrThrow({ include: { invitations: true, responses: true } })).invitations).toHaveLength(1);
    expect((await p.questionnaire.findFirstOrThrow({ include: { invitations: true, responses: true } })).responses).toHaveLength(1);
  });
});
