import { describe, expect, it } from 'vitest';
import { claimUnopenedReminders, sweepUnopenedReminders } from '../../src/invitations/unopened-reminders.js';
import { unopenedRemindersSweepJob } from '../../src/queues/job-catalog.js';
import { QUEUE } from '../../src/queues/queue-names.js';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { postUpdate, tgUpdate } from '../support/telegram-updates.js';
import { waitUntil } from '../support/wait-until.js';

const h = useTelegramProduct({ firstChatId: 5_590_001, env: { QUIET_HOURS: '21:00-07:00', UNOPENED_REMINDER_HOURS: '48' } });

const HOUR = 3600_000;
/** Puts the product's clock at `hhmm` Vietnam time, `days` Vietnam days after today (queues keep real time). */
function setVietnamTime(days: number, hhmm: string): void {
  const day = new Date(Date.now() + 7 * HOUR + days * 24 * HOUR).toISOString().slice(0, 10);
  h.clock.offsetMs = Date.parse(`${day}T${hhmm}:00+07:00`) - Date.now();
}
const invitation = (id: string) => h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id } });
const sweep = () => sweepUnopenedReminders({ db: h.product.ctx.db, queues: h.product.ctx.queues, now: h.clock.date, settings: h.product.config.unopenedReminder });
const textsTo = (chat: number) => h.fake.acceptedSendsTo(chat).map((c) => String(c.body.text));
const remindersTo = (chat: number) => textsTo(chat).filter((t) => t.startsWith('Nhắc lại'));

/** A Telegram invitation to `chat`, delivered (status sent). */
async function sentInvitation(chat: number) {
  const inv = await h.invite({ dossierCode: `HS-UNOPENED-${chat}`, recipient: { telegramChatId: String(chat) } });
  await waitUntil(async () => (await invitation(inv.id)).status === 'sent', 'invitation sent');
  return inv;
}

describe('one reminder to those who never opened the invitation', () => {
  it('goes once, after the delay, only to sent invitations nobody opened', async () => {
    setVietnamTime(0, '10:00');
    const [unopened, opened, cancelled] = [5_590_001, 5_590_002, 5_590_003];
    const a = await sentInvitation(unopened);
    const b = await sentInvitation(opened);
    const c = await sentInvitation(cancelled);
    await postUpdate(h.product.app!, tgUpdate.text(opened, `/start ${b.token}`));
    await waitUntil(async () => (await invitation(b.id)).status === 'opened', 'invitation opened');
    await h.product.db.prisma.invitation.update({ where: { id: c.id }, data: { status: 'cancelled' } });

    // 47 hours after it was sent nothing is due yet.
    const sentAt = (await invitation(a.id)).sentAt!.getTime();
    h.clock.offsetMs = sentAt + 47 * HOUR - Date.now();
    expect(await sweep()).toBe(0);

    // Three days later, in the daytime: two sweeps at once (one as the scheduled job) claim it once.
    setVietnamTime(3, '10:00');
    const sweeps = h.product.ctx.queues.queue(QUEUE.maintenance);
    const [claimed] = await Promise.all([sweep(), h.product.ctx.queues.add(unopenedRemindersSweepJob, {})]);
    await waitUntil(async () => {
      const counts = await sweeps.getJobCounts('waiting', 'active', 'prioritized');
      return counts.waiting! + counts.active! + counts.prioritized! === 0;
    }, 'sweep job done');
    expect(claimed).toBeLessThanOrEqual(1);
    await waitUntil(() => textsTo(unopened).length === 2, 'reminder delivered');
    const [first, reminder] = textsTo(unopened);
    expect(reminder).toMatch(/^Nhắc lại: Ông\/Bà chưa trả lời khảo sát/);
    expect(reminder).toBe(reminder!.normalize('NFC'));
    // The same link as the invitation.
    const link = /https?:\/\/\S+/.exec(first!)![0];
    expect(reminder).toContain(link);

    // Recorded, and never again: another sweep later finds nothing.
    expect((await invitation(a.id)).unopenedReminderAt).not.toBeNull();
    expect((await invitation(b.id)).unopenedReminderAt).toBeNull();
    expect((await invitation(c.id)).unopenedReminderAt).toBeNull();
    h.clock.offsetMs += 24 * HOUR;
    expect(await sweep()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo(unopened)).toHaveLength(2);
    expect(remindersTo(opened)).toHaveLength(0);
    expect(textsTo(cancelled)).toHaveLength(1);
    const logged = await h.product.db.prisma.outboundMessage.findMany({ where: { invitationId: a.id, kind: 'reminder' } });
    expect(logged.map((m) => m.status)).toEqual(['sent']);
  });

  it('is never sent during quiet hours: claimed at 22:30, delivered at 07:00', async () => {
    setVietnamTime(0, '10:00');
    const chat = 5_590_010;
    const inv = await sentInvitation(chat);

    setVietnamTime(3, '22:30');
    expect(await sweep()).toBe(1);
    const invitations = h.product.ctx.queues.queue(QUEUE.invitations);
    const [held] = await waitUntil(async () => {
      const delayed = (await invitations.getDelayed()).filter((j) => j.id === `unopened-${inv.id}`);
      return delayed.length ? delayed : undefined;
    }, 'the reminder held back');
    expect(held!.attemptsMade).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo(chat)).toHaveLength(1);
    expect((await invitation(inv.id)).unopenedReminderAt).not.toBeNull();

    // 07:00 comes: the same job sends it.
    setVietnamTime(4, '07:00');
    await held!.promote();
    await waitUntil(() => textsTo(chat).length === 2, 'reminder delivered in the morning');
    expect(remindersTo(chat)).toHaveLength(1);
  });

  it('goes by paid ZNS only when ZNS reminders are enabled', async () => {
    const { prisma } = h.product.db;
    const unit = await prisma.unit.findFirstOrThrow();
    const questionnaire = await prisma.questionnaire.findFirstOrThrow();
    const sentAt = new Date(Date.now() - 72 * HOUR);
    const zns = await prisma.invitation.create({
      data: { token: 'tok-unopened-zns', code: 'ZNSREM01', channel: 'zalo', unitId: unit.id, questionnaireId: questionnaire.id, recipientPhone: '84900000001', status: 'sent', sentAt, expiresAt: new Date(Date.now() + 240 * HOUR) },
    });
    const none = async () => undefined;
    expect(await claimUnopenedReminders(prisma, new Date(), { afterHours: 48, zns: false }, none)).not.toContain(zns.id);
    expect((await invitation(zns.id)).unopenedReminderAt).toBeNull();
    expect(await claimUnopenedReminders(prisma, new Date(), { afterHours: 48, zns: true }, none)).toEqual([zns.id]);
    expect(await claimUnopenedReminders(prisma, new Date(), { afterHours: 48, zns: true }, none)).toEqual([]);
  });
});
