import { describe, expect, it } from 'vitest';
import { sweepUnopenedReminders } from '../../src/invitations/unopened-reminders.js';
import { FAKE_ZALO_PATHS } from '../support/fake-zalo-server.js';
import { XTP } from '../support/units.js';
import { waitUntil } from '../support/wait-until.js';
import { useZaloProduct } from '../support/zalo-product-harness.js';
import { csButtons, csTo, waitForCs } from '../support/zalo-survey-driver.js';

// Paid ZNS reminders switched on here; the claim test in unopened-reminder.test.ts shows they are not claimed otherwise.
const h = useZaloProduct({ firstUserId: 8_700_000_000_000_000_000n, dossierPrefix: 'UNR', units: [XTP], env: { ZALO_BUTTONS: 'true', UNOPENED_REMINDER_ZNS: 'true' } });

const HOUR = 3600_000;
const invitation = (id: string) => h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id } });
const znsFor = (id: string) => h.fake.callsTo(FAKE_ZALO_PATHS.zns).filter((c) => c.body.tracking_id === id);
/** Three Vietnam days from now at 10:00: well past the 48 h, in the daytime. */
function threeDaysLaterAtTen(): void {
  const day = new Date(Date.now() + 7 * HOUR + 3 * 24 * HOUR).toISOString().slice(0, 10);
  h.clock.offsetMs = Date.parse(`${day}T10:00:00+07:00`) - Date.now();
}

describe('the unopened-invitation reminder over Zalo', () => {
  it('goes once as a CS message with the code and its button, and once by ZNS to an invitation sent by phone', async () => {
    const userId = h.nextUserId();
    const cs = await h.invite({ recipient: { zaloUserId: userId } });
    const byPhone = await h.invite({ recipient: { phone: '+84 912-000-111' } });
    await waitUntil(async () => (await invitation(cs.id)).status === 'sent' && (await invitation(byPhone.id)).status === 'sent', 'both sent');
    expect(znsFor(byPhone.id)).toHaveLength(1);

    threeDaysLaterAtTen();
    const sweep = () => sweepUnopenedReminders({ db: h.product.ctx.db, queues: h.product.ctx.queues, now: h.clock.date, settings: h.product.config.unopenedReminder });
    expect(await sweep()).toBe(2);
    const [, reminder] = await waitForCs(h.fake, userId, 1);
    expect(String(reminder!.body.message.text)).toMatch(/^Nhắc lại: Ông\/Bà chưa trả lời khảo sát/);
    expect(String(reminder!.body.message.text)).toContain(`Gửi mã khảo sát ${cs.code}`);
    expect(csButtons(reminder!)).toEqual([{ title: 'Bắt đầu khảo sát', payload: cs.code, type: 'oa.query.hide' }]);
    await waitUntil(() => znsFor(byPhone.id).length === 2, 'ZNS reminder');

    expect(await sweep()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(csTo(h.fake, userId)).toHaveLength(2);
    expect(znsFor(byPhone.id)).toHaveLength(2);
    // The invitations stay as they were; the delivery log says which send was the reminder.
    expect((await invitation(cs.id)).status).toBe('sent');
    const kinds = await h.product.db.prisma.outboundMessage.findMany({ where: { invitationId: { in: [cs.id, byPhone.id] } }, select: { kind: true, status: true } });
    expect(kinds.filter((k) => k.kind === 'reminder').map((k) => k.status)).toEqual(['sent', 'sent']);
  });
});
