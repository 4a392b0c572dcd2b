import { describe, expect, it } from 'vitest';
import { QUEUE } from '../../src/queues/queue-names.js';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { waitForNewMessages } from '../support/telegram-survey-driver.js';
import { postUpdate, tgUpdate } from '../support/telegram-updates.js';
import { waitUntil } from '../support/wait-until.js';

const h = useTelegramProduct({ firstChatId: 5_580_001, env: { QUIET_HOURS: '21:00-07:00' } });
/** Puts the product's clock at a Vietnam time of some day (queues keep real time). */
const setVietnamTime = (iso: string) => (h.clock.offsetMs = Date.parse(`${iso}+07:00`) - Date.now());

describe('quiet hours (21:00–07:00 Vietnam time)', () => {
  it('an invitation created at 22:30 waits for 07:00; a reply to a citizen at 22:30 goes out at once', async () => {
    setVietnamTime('2026-12-05T22:30:00');
    const invited = 5_580_001;
    const inv = await h.invite({ dossierCode: 'HS-QUIET-1', recipient: { telegramChatId: String(invited) } });
    const invitations = h.product.ctx.queues.queue(QUEUE.invitations);
    const [held] = await waitUntil(async () => {
      const delayed = await invitations.getDelayed();
      return delayed.length ? delayed : undefined;
    }, 'the delivery held back');
    // Held for the 8.5 hours until 07:00, without spending an attempt.
    const dueIn = Number(await h.product.ctx.redis.zscore(`${h.product.config.redisPrefix}:${QUEUE.invitations}:delayed`, held!.id!)) / 0x1000 - Date.now();
    expect(Math.abs(dueIn - 8.5 * 3600_000)).toBeLessThan(60_000);
    expect(held!.attemptsMade).toBe(0);
    expect(h.fake.callsTo('sendMessage', invited)).toHaveLength(0);
    expect((await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id: inv.id } })).status).toBe('queued');

    // A citizen who writes at 22:30 is answered at once.
    const citizen = 5_580_002;
    expect((await postUpdate(h.product.app!, tgUpdate.text(citizen, '/start u_SNV'))).statusCode).toBe(200);
    const [reply] = await waitForNewMessages(h.fake, citizen, 0);
    expect(String(reply!.body.text)).toMatch(/Xin chào|Ông\/Bà/);

    // 07:00 comes: the same job delivers the invitation.
    setVietnamTime('2026-12-06T07:00:30');
    await held!.promote();
    await waitUntil(() => h.fake.acceptedSendsTo(invited).length === 1, 'invitation delivered in the morning');
    await waitUntil(async () => (await h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id: inv.id } })).status === 'sent', 'marked sent');
  });
});
