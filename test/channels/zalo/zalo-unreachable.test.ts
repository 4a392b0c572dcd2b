import { beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { recordJobs } from '../../support/job-recorder.js';
import { waitUntil } from '../../support/wait-until.js';

// The product's clock is moved to let a reminder fall due.
const h = useZaloProduct({ firstUserId: 8_550_000_000_000_000_000n, dossierPrefix: 'UNR' });
const { invite, atFirstQuestion, answerQuietly, clock } = h;

let finished: ReturnType<typeof recordJobs>;
beforeAll(() => {
  finished = recordJobs(h.product, 'outbound-zalo');
});
const runsOf = (userId: string, outcome: 'failed' | 'completed') => finished.of(userId).filter((j) => j.outcome === outcome);

describe('users Zalo says cannot be reached', () => {
  it.each([-213, -217, -244])('%i (user unreachable): the respondent is marked and nothing more is sent to them until they write again', async (code) => {
    const { chat } = await atFirstQuestion();
    h.fake.failForUser(chat.userId, code);
    await answerQuietly(chat, '1');
    const db = h.product.db.prisma;
    const respondent = await waitUntil(async () => {
      const r = await db.respondent.findFirst({ where: { channel: 'zalo', externalId: chat.userId } });
      return r?.unreachableAt ? r : undefined;
    }, 'respondent marked unreachable');
    expect(respondent.unreachableReason).toBe(`zalo_unreachable (error ${code})`);
    await waitUntil(() => runsOf(chat.userId, 'failed').length === 1, 'job given up');
    const attempts = h.fake.callsTo(FAKE_ZALO_PATHS.cs).filter((c) => c.body.recipient.user_id === chat.userId).length;

    // A reminder due a day later is not sent.
    const reminders = (await h.product.ctx.queues.queue('reminders').getDelayed()).filter((j) => j.data.userRef === chat.userId);
    expect(reminders).toHaveLength(1);
    clock.offsetMs = 25 * 3600_000;
    await reminders[0]!.promote();
    await waitUntil(() => runsOf(chat.userId, 'completed').length >= 3, 'reminder handled');
    // An invitation to that user is not sent by CS either (no phone: undeliverable).
    const inv = await invite({ recipient: { zaloUserId: chat.userId } });
    const stored = await waitUntil(async () => {
      const row = await db.invitation.findUnique({ where: { id: inv.id } });
      return row?.status === 'undeliverable' ? row : undefined;
    }, 'invitation undeliverable');
    expect(stored.statusReason).toBe(`zalo_unreachable (error ${code})`);
    expect(h.fake.callsTo(FAKE_ZALO_PATHS.cs).filter((c) => c.body.recipient.user_id === chat.userId)).toHaveLength(attempts);

    // They write again: reachable, and answered.
    clock.offsetMs = 0;
    h.fake.failForUser(chat.userId, null);
    expect((await chat.say('/help')).join('\n')).toContain('Hướng dẫn');
    expect((await db.respondent.findFirstOrThrow({ where: { externalId: chat.userId } })).unreachableAt).toBeNull();
  });

  it('-230 (silent > 7 days) on a CS invitation: CS closed for that user, the invitation falls back to ZNS', async () => {
    const userId = h.nextUserId();
    h.fake.failForUser(userId, -230);
    const inv = await invite({ recipient: { zaloUserId: userId, phone: '0987 654 321' } });
    const db = h.product.db.prisma;
    const sent = await waitUntil(async () => {
      const row = await db.invitation.findUnique({ where: { id: inv.id } });
      return row?.status === 'sent' ? row : undefined;
    }, 'invitation sent by ZNS');
    expect(sent.sentAt).not.toBeNull();
    const zns = h.fake.callsTo(FAKE_ZALO_PATHS.zns).filter((c) => c.body.tracking_id === inv.id);
    expect(zns).toHaveLength(1);
    expect(zns[0]!.body).toMatchObject({ phone: '84987654321', template_data: { survey_code: inv.code, unit_name: 'Sở Nội vụ' } });
    const respondent = await db.respondent.findFirstOrThrow({ where: { channel: 'zalo', externalId: userId } });
    expect(respondent.unreachableReason).toBe('zalo_cs_silent (error -230)');
    const log = await db.outboundMessage.findMany({ where: { invitationId: inv.id }, orderBy: { createdAt: 'asc' } });
    expect(log.map((l) => [l.kind, l.status, l.errorCode, l.recipient])).toEqual([
      ['invitation', 'failed', '-230', userId],
      ['invitation', 'sent', null, '84987654321'],
    ]);
  });

  it('-232 without a phone: the invitation is undeliverable, with the reason', async () => {
    const userId = h.nextUserId();
    h.fake.failForUser(userId, -232);
    const inv = await invite({ recipient: { zaloUserId: userId } });
    const row = await waitUntil(async () => {
      const r = await h.product.db.prisma.invitation.findUnique({ where: { id: inv.id } });
      return r?.status === 'undeliverable' ? r : undefined;
    }, 'undeliverable');
    expect(row.statusReason).toBe('zalo_cs_silent (error -232); no phone for ZNS');
    expect(h.fake.callsTo(FAKE_ZALO_PATHS.zns).filter((c) => c.body.tracking_id === inv.id)).toHaveLength(0);
  });
});
