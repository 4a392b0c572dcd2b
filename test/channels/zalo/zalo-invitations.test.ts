import type { Job } from 'bullmq';
import { storedAnywhere } from '../../support/stored-anywhere.js';
import { describe, expect, it } from 'vitest';
import { deliverZnsInvitation } from '../../../src/channels/zalo/deliver-zns-invitation.js';
import { FAKE_ZALO_PATHS } from '../../support/fake-zalo-server.js';
import type { InvitationRequest } from '../../support/invitations.js';
import { builtinDefinition, expectedAnswers, storedAnswers } from '../../support/survey-script.js';
import { XTP } from '../../support/units.js';
import { completedResponseIds, responseCompletedSince } from '../../support/completed-responses.js';
import { waitUntil } from '../../support/wait-until.js';
import { ZaloChat } from '../../support/zalo-chat.js';
import { useZaloProduct } from '../../support/zalo-product-harness.js';
import { csButtons, csTo, driveZaloSurvey, waitForCs } from '../../support/zalo-survey-driver.js';
import { postZalo, zaloEvent } from '../../support/zalo-webhook-events.js';

const def = builtinDefinition('sipas-2017');
const h = useZaloProduct({ firstUserId: 8_600_000_000_000_000_000n, dossierPrefix: 'INV', units: [XTP], env: { ZALO_BUTTONS: 'true', ZALO_ZNS_PARAMS: 'ma_khao_sat,ten_don_vi' } });

/** An invitation to XTP for `recipient`, queued for delivery. */
async function queuedInvitation(recipient: InvitationRequest['recipient']) {
  const body = await h.invite({ procedureCode: '2.000815', recipient });
  expect(body.status).toBe('queued');
  return body;
}
const invitation = (id: string) => h.product.db.prisma.invitation.findUniqueOrThrow({ where: { id } });
const znsFor = (id: string) => h.fake.callsTo(FAKE_ZALO_PATHS.zns).filter((c) => c.body.tracking_id === id);

describe('invitations over Zalo', () => {
  it('by phone: exactly one ZNS call with the right body; the code sent in the OA chat starts the invited survey, which completes', async () => {
    const inv = await queuedInvitation({ phone: '+84 912-345-678' });
    await waitUntil(async () => (await invitation(inv.id)).status === 'sent', 'sent by ZNS');
    await new Promise((r) => setTimeout(r, 200));
    const calls = znsFor(inv.id);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toEqual({ phone: '84912345678', template_id: '231456', template_data: { ma_khao_sat: inv.code, ten_don_vi: 'UBND xã Tân Phong' }, tracking_id: inv.id });
    expect(calls[0]!.headers['access_token']).toBe((await h.product.db.prisma.zaloToken.findFirstOrThrow()).accessToken);
    const row = await invitation(inv.id);
    expect(row.sentAt).not.toBeNull();
    const log = await h.product.db.prisma.outboundMessage.findMany({ where: { invitationId: inv.id } });
    expect(log.map((l) => [l.channel, l.kind, l.status, l.recipient])).toEqual([['zalo', 'invitation', 'sent', '84912345678']]);
    expect(log[0]!.platformMessageId).toMatch(/^z/);

    // The citizen opens the OA chat and sends the code from the ZNS message.
    const userId = h.nextUserId();
    const before = await completedResponseIds(h.product.db.prisma);
    const { finalText, transcript } = await driveZaloSurvey({ app: h.product.app!, fake: h.fake, userId, def, startText: ` ${inv.code} `, mode: (i) => (['payload', 'number', 'label'] as const)[i % 3]! });
    expect(csTextOf(transcript[0])).toContain('Đơn vị được khảo sát: UBND xã Tân Phong.');
    expect(finalText).toMatch(/cảm ơn/i);
    const response = await responseCompletedSince(h.product.db.prisma, before);
    expect(response.unit?.code).toBe('XTP');
    expect(response.procedureCode).toBe('2.000815');
    expect(storedAnswers(response.answers)).toEqual(expectedAnswers(def));
    expect((await invitation(inv.id)).status).toBe('completed');
    // The same code again: one response per invitation.
    const again = h.newChat();
    expect((await again.say(inv.code)).join('\n')).toContain('đã được sử dụng');
  });

  it('to a Zalo user: a CS message with the code and a start button; one tap starts the survey', async () => {
    const userId = h.nextUserId();
    const inv = await queuedInvitation({ zaloUserId: userId });
    const [message] = await waitForCs(h.fake, userId, 0);
    const text = String(message!.body.message.text);
    expect(text).toContain('UBND xã Tân Phong');
    expect(text).toContain(`Gửi mã khảo sát ${inv.code} vào cuộc trò chuyện này để bắt đầu.`);
    expect(csButtons(message!)).toEqual([{ title: 'Bắt đầu khảo sát', payload: inv.code, type: 'oa.query.hide' }]);
    await waitUntil(async () => (await invitation(inv.id)).status === 'sent', 'sent');
    expect(znsFor(inv.id)).toHaveLength(0);
    const log = await h.product.db.prisma.outboundMessage.findMany({ where: { invitationId: inv.id } });
    expect(log.map((l) => [l.kind, l.status, l.recipient])).toEqual([['invitation', 'sent', userId]]);

    const chat = new ZaloChat(h.product.app!, h.fake, userId);
    expect((await chat.say(inv.code)).join('\n')).toContain('Gõ 1 để bắt đầu');
    await waitUntil(async () => (await invitation(inv.id)).status === 'opened', 'opened');
  });

  it.each([
    [-108, 'zns_bad_phone (error -108)'],
    [-118, 'zns_no_zalo_account (error -118)'],
  ])('ZNS %i: the invitation is undeliverable, with the reason', async (code, reason) => {
    const phone = `8490${h.nextUserId().slice(-7)}`;
    h.fake.failForPhone(phone, code);
    const inv = await queuedInvitation({ phone });
    const row = await waitUntil(async () => {
      const r = await invitation(inv.id);
      return r.status === 'undeliverable' ? r : undefined;
    }, 'undeliverable');
    expect(row.statusReason).toBe(reason);
    expect(znsFor(inv.id)).toHaveLength(1);
    // The delivery log row is written right after the status: wait for it rather than race it.
    const log = await waitUntil(async () => {
      const rows = await h.product.db.prisma.outboundMessage.findMany({ where: { invitationId: inv.id, status: 'failed' } });
      return rows.length ? rows : undefined;
    }, 'failure logged');
    expect(log.map((l) => [l.status, l.errorCode])).toEqual([['failed', String(code)]]);
    // Its code no longer starts anything.
    const chat = h.newChat();
    expect((await chat.say(inv.code)).join('\n')).toContain('hết hạn');
  });

  it('without ZALO_ZNS_TEMPLATE_ID nothing is sent and the invitation says why', async () => {
    const inv = await h.product.db.prisma.invitation.create({
      data: { token: `tok${h.nextUserId()}`.padEnd(24, 'x'), code: 'ZZZZ2345', channel: 'zalo', unitId: (await h.product.db.prisma.unit.findFirstOrThrow()).id, questionnaireId: (await h.product.db.prisma.questionnaire.findFirstOrThrow()).id, recipientPhone: '84911111111', status: 'queued', expiresAt: new Date(Date.now() + 86_400_000) },
    });
    const deps = { db: h.product.db.prisma, zns: h.product.services.zalo!.zns, config: { znsTemplateId: undefined, znsParams: ['survey_code', 'unit_name'] }, metrics: h.product.ctx.metrics, now: () => new Date() };
    await deliverZnsInvitation(deps, inv.id, { attemptsMade: 0 } as Job);
    const row = await invitation(inv.id);
    expect(row.status).toBe('undeliverable');
    expect(row.statusReason).toBe('zns_template_not_configured (set ZALO_ZNS_TEMPLATE_ID)');
    expect(znsFor(inv.id)).toHaveLength(0);
  });

  it('a phone shared with user_submit_info starts the pending invitation for that phone', async () => {
    const inv = await queuedInvitation({ phone: '0903 123 456' });
    await waitUntil(async () => (await invitation(inv.id)).status === 'sent', 'sent');
    const userId = h.nextUserId();
    const res = await postZalo(h.product.app!, zaloEvent.submitInfo(userId, '+84903123456'));
    expect(res.statusCode).toBe(200);
    const [consent] = await waitForCs(h.fake, userId, 0);
    expect(String(consent!.body.message.text)).toContain('Đơn vị được khảo sát: UBND xã Tân Phong.');
    await waitUntil(async () => (await invitation(inv.id)).status === 'opened', 'opened');
    // Only the invitation and its delivery log, while the survey is open, hold the phone; no respondent or response does.
    expect(await storedAnywhere(h.product.db.prisma, '903123456')).toEqual(['invitations', 'outbound_messages']);
    expect(csTo(h.fake, userId)).toHaveLength(1);
  });
});

const csTextOf = (c: { body: { message?: { text?: string } } } | undefined) => String(c?.body.message?.text ?? '');
