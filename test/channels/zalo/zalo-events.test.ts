import { storedAnywhere } from '../../support/stored-anywhere.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import { recordJobs } from '../../support/job-recorder.js';
import { waitUntil } from '../../support/wait-until.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { csText, csTo, waitForCs } from '../../support/zalo-survey-driver.js';
import { postZalo, zaloEvent } from '../../support/zalo-webhook-events.js';

const h = useZaloProduct({ firstUserId: 8_700_000_000_000_000_000n, dossierPrefix: 'EV' });
const { invite, newChat, atFirstQuestion } = h;
let finished: ReturnType<typeof recordJobs>;
beforeAll(() => {
  finished = recordJobs(h.product, 'outbound-zalo');
});

describe('follow', () => {
  it('starts the invitation waiting for this Zalo user', async () => {
    const chat = newChat();
    const inv = await invite({ recipient: { zaloUserId: chat.userId } });
    await waitForCs(h.fake, chat.userId, 0); // the CS invitation
    const replies = await chat.send(zaloEvent.follow(chat.userId));
    expect(replies.join('\n')).toContain('Đơn vị được khảo sát: Sở Nội vụ.');
    expect(replies.at(-1)).toContain('Gõ 1 để bắt đầu');
    await waitUntil(async () => (await h.product.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.status === 'opened', 'opened');
  });

  it('without an invitation: the welcome of the open survey', async () => {
    const chat = newChat();
    const replies = await chat.send(zaloEvent.follow(chat.userId));
    expect(replies.join('\n')).toMatch(/^Xin chào Ông\/Bà!/);
    expect(replies.at(-1)).toContain('Gõ 1 để bắt đầu');
  });
});

describe('unfollow', () => {
  it('opts the citizen out, sends nothing more, and a new follow resumes where they stopped', async () => {
    const { chat, invitation: inv } = await atFirstQuestion();
    expect((await chat.say('2')).at(-1)).toMatch(/^Câu 2\//m);
    const sent = chat.seen;

    const res = await postZalo(h.product.app!, zaloEvent.unfollow(chat.userId));
    expect(res.statusCode).toBe(200);
    const db = h.product.db.prisma;
    const respondent = await waitUntil(async () => {
      const r = await db.respondent.findFirst({ where: { channel: 'zalo', externalId: chat.userId } });
      return r?.optedOutAt ? r : undefined;
    }, 'opted out');
    expect(respondent.unreachableReason).toBe('zalo_unfollowed');
    await waitUntil(async () => (await db.invitation.findUnique({ where: { id: inv.id } }))?.status === 'opted_out', 'invitation opted out');
    await waitUntil(() => finished.of(chat.userId).filter((j) => j.outcome === 'completed').length === 4, 'goodbye handled');
    // The goodbye was dropped (Zalo refuses CS to non-followers), and no reminder is pending.
    expect(csTo(h.fake, chat.userId)).toHaveLength(sent);
    expect((await h.product.ctx.queues.queue('reminders').getDelayed()).filter((j) => j.data.userRef === chat.userId)).toHaveLength(0);

    const back = await chat.send(zaloEvent.follow(chat.userId));
    expect(back.join('\n')).toContain('Chào mừng Ông/Bà quay lại');
    expect(back.at(-1)).toMatch(/^Câu 2\//m);
    expect((await db.respondent.findFirstOrThrow({ where: { externalId: chat.userId } })).unreachableAt).toBeNull();
  });
});

describe('opt-out', () => {
  it('after "dừng" the OA sends that citizen no invitation by CS, while replies to their own messages still go out', async () => {
    const chat = newChat();
    await chat.say((await invite()).code);
    expect((await chat.say('dừng')).join('\n')).toContain('Ông/Bà đã dừng khảo sát');
    const db = h.product.db.prisma;
    await waitUntil(async () => (await db.respondent.findFirst({ where: { externalId: chat.userId } }))?.optedOutAt ?? undefined, 'opted out');
    const sent = chat.seen;
    const inv = await invite({ recipient: { zaloUserId: chat.userId } });
    const row = await waitUntil(async () => {
      const r = await db.invitation.findUnique({ where: { id: inv.id } });
      return r?.status === 'undeliverable' ? r : undefined;
    }, 'not sent');
    expect(row.statusReason).toBe('recipient_opted_out');
    expect(csTo(h.fake, chat.userId)).toHaveLength(sent);
    expect((await chat.say('/help')).join('\n')).toContain('Hướng dẫn');
  });
});

describe('other events', () => {
  it('an image (or sticker, file…) is answered "please answer with text or a number", once per delivery, changing nothing', async () => {
    const { chat } = await atFirstQuestion();
    const before = await h.product.services.conversations.store.load({ channel: 'zalo', userRef: chat.userId });
    const image = zaloEvent.image(chat.userId);
    const replies = await chat.send(image);
    expect(replies).toEqual(['Xin lỗi, hệ thống chỉ nhận câu trả lời bằng chữ hoặc số. Xin Ông/Bà vui lòng gõ câu trả lời bằng chữ hoặc số.']);
    expect((await postZalo(h.product.app!, image)).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(csTo(h.fake, chat.userId).filter((c) => csText(c).startsWith('Xin lỗi, hệ thống chỉ nhận'))).toHaveLength(1);
    const after = await h.product.services.conversations.store.load({ channel: 'zalo', userRef: chat.userId });
    expect(after.v).toBe(before.v);
  });

  it('a shared phone that matches no invitation: thanks, and the current question again; the phone is not stored', async () => {
    const { chat } = await atFirstQuestion();
    const replies = await chat.send(zaloEvent.submitInfo(chat.userId, '0977 000 111'));
    expect(replies.join('\n')).toContain('Xin cảm ơn Ông/Bà đã chia sẻ thông tin.');
    expect(replies.at(-1)).toMatch(/^Câu 1\//m);
    expect(await storedAnywhere(h.product.db.prisma, '977000111')).toEqual([]);
  });

  it('"/start" typed in the chat offers the open survey; an unknown code is refused politely', async () => {
    const chat = newChat();
    expect((await chat.say('/start')).at(-1)).toContain('Gõ 1 để bắt đầu');
    const other = newChat();
    expect((await other.say('ABCD2345')).join('\n')).toContain('Mã khảo sát không đúng');
    expect(h.fake.callsTo(FAKE_ZALO_PATHS.zns)).toHaveLength(0);
  });
});
