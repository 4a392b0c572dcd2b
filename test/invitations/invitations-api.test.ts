import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegramServer } from '../support/fake-telegram-server.js';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { bulkInvitations } from '../support/invitations.js';
import { waitUntil } from '../support/wait-until.js';

let fake: FakeTelegramServer;
let product: Product;
const post = (payload: unknown, headers: Record<string, string> = adminHeaders) => product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers, payload: payload as object });

beforeAll(async () => {
  fake = await new FakeTelegramServer().start();
  product = await startProduct({ TELEGRAM_API_ROOT: fake.url });
  const res = await product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }, { code: 'STP', name: 'Sở Tư pháp', group: 'department' }] });
  expect(res.json()).toEqual({ created: 2, updated: 0, total: 2 });
});
afterAll(async () => {
  await product?.stop();
  await fake?.close();
});

describe('POST /api/v1/invitations', () => {
  it('creates an invitation with an opaque token, a short code, a deep link and an expiry', async () => {
    const res = await post({ unitCode: 'SNV', channel: 'telegram', procedureCode: '1.000656', dossierCode: '000.00.17.H12-241122-0001' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(body.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(body.status).toBe('created');
    expect(body.links.telegram).toBe(`https://t.me/sipas_test_bot?start=${body.token}`);
    const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThan(30.1);
    // Personal data stays out of the API answer.
    expect(JSON.stringify(body)).not.toContain('H12-241122');
  });

  it('returns the existing invitation (200) for the same dossier at the same unit, also under concurrency', async () => {
    const payload = { unitCode: 'SNV', channel: 'telegram', dossierCode: 'DUP-1' };
    const results = await Promise.all([post(payload), post(payload), post(payload)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    const other = await post({ ...payload, unitCode: 'STP' });
    expect(other.statusCode).toBe(201);
    expect(other.json().id).not.toBe(results[0]!.json().id);
  });

  it('rejects bad requests with the JSON error shape', async () => {
    const unknownUnit = await post({ unitCode: 'NOPE', channel: 'telegram' });
    expect(unknownUnit.statusCode).toBe(422);
    expect(unknownUnit.json().error.code).toBe('unknown_unit');
    const invalid = await post({ unitCode: 'SNV', channel: 'fax' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: 'invalid_request', details: [expect.objectContaining({ path: 'channel' })] });
    for (const questionnaire of ['sipas-2017@99999999999', 'sipas-2017@abc', 'sipas 2017']) {
      const badRef = await post({ unitCode: 'SNV', channel: 'telegram', questionnaire });
      expect(badRef.statusCode, questionnaire).toBe(400);
      expect(badRef.json().error.details[0].path).toBe('questionnaire');
    }
    const nul = await post({ unitCode: 'SNV', channel: 'telegram', dossierCode: 'HS-1\u0000' });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error.details[0]).toMatchObject({ path: 'dossierCode', message: expect.stringContaining('control characters') });
    const longChat = await post({ unitCode: 'SNV', channel: 'telegram', recipient: { telegramChatId: '99999999999999999999' } });
    expect(longChat.statusCode).toBe(400);
    const unknownVersion = await post({ unitCode: 'SNV', channel: 'telegram', questionnaire: 'sipas-2017@2147483647' });
    expect(unknownVersion.statusCode).toBe(422);
    expect(unknownVersion.json().error.code).toBe('unknown_questionnaire');
    const badPhone = await post({ unitCode: 'SNV', channel: 'telegram', recipient: { phone: '+1 202 555 0100' } });
    expect(badPhone.statusCode).toBe(422);
    expect(badPhone.json().error.code).toBe('invalid_phone');
    // Telegram cannot be reached by phone: refused at creation, never left queued.
    const phoneOnly = await post({ unitCode: 'SNV', channel: 'telegram', dossierCode: 'HS-PHONE-ONLY', recipient: { phone: '0912 345 678' } });
    expect(phoneOnly.statusCode).toBe(422);
    expect(phoneOnly.json().error).toMatchObject({ code: 'unreachable_recipient', message: expect.stringContaining('Telegram cannot reach a citizen by phone') });
    expect(await product.db.prisma.invitation.count({ where: { recipientPhone: { not: null }, channel: 'telegram', recipientChatId: null } })).toBe(0);
    const zaloOff = await post({ unitCode: 'SNV', channel: 'zalo' });
    expect(zaloOff.json().error.code).toBe('channel_disabled');
    expect((await post({ unitCode: 'SNV', channel: 'telegram' }, {})).statusCode).toBe(401);
    expect((await post({ unitCode: 'SNV', channel: 'telegram' }, { authorization: 'Bearer wrong-key-wrong-key' })).statusCode).toBe(401);
  });

  it('serves a PNG QR code of the deep link', async () => {
    const inv = (await post({ unitCode: 'SNV', channel: 'telegram' })).json();
    const res = await product.app!.inject({ method: 'GET', url: `/api/v1/invitations/${inv.id}/qr.png`, headers: adminHeaders });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const expected = await QRCode.toBuffer(inv.links.telegram, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
    expect(res.rawPayload.equals(expected)).toBe(true);
    expect((await product.app!.inject({ method: 'GET', url: '/api/v1/invitations/00000000-0000-4000-8000-000000000000/qr.png', headers: adminHeaders })).statusCode).toBe(404);
  });

  it('delivers an invitation to a known Telegram chat and tracks it as sent', async () => {
    const res = await post({ unitCode: 'SNV', channel: 'telegram', dossierCode: 'TG-CHAT-1', recipient: { telegramChatId: '777000111' } });
    expect(res.json().status).toBe('queued');
    const sent = await waitUntil(() => fake.callsTo('sendMessage', '777000111')[0], 'invitation message');
    expect(String(sent.body.text)).toContain('Sở Nội vụ');
    expect(String(sent.body.text)).toContain(`start=${res.json().token}`);
    await waitUntil(async () => (await product.db.prisma.invitation.findUnique({ where: { id: res.json().id } }))?.status === 'sent', 'status sent');
    const view = await product.app!.inject({ method: 'GET', url: `/api/v1/invitations/${res.json().id}`, headers: adminHeaders });
    expect(view.json().sentAt).not.toBeNull();
    const log = await product.db.prisma.outboundMessage.findMany({ where: { invitationId: res.json().id } });
    expect(log.map((l) => [l.channel, l.kind, l.status])).toEqual([['telegram', 'invitation', 'sent']]);
  });

  it('marks an invitation undeliverable when the chat blocked the bot', async () => {
    fake.fail({ method: 'sendMessage', chatId: '777000222', errorCode: 403, description: 'Forbidden: bot was blocked by the user', times: 10 });
    const res = await post({ unitCode: 'SNV', channel: 'telegram', dossierCode: 'TG-CHAT-2', recipient: { telegramChatId: '777000222' } });
    const inv = await waitUntil(async () => {
      const i = await product.db.prisma.invitation.findUnique({ where: { id: res.json().id } });
      return i?.status === 'undeliverable' ? i : undefined;
    }, 'undeliverable');
    expect(inv.statusReason).toContain('unreachable');
    await waitUntil(async () => (await product.db.prisma.outboundMessage.count({ where: { invitationId: res.json().id, status: 'failed' } })) === 1, 'failure logged');
    expect(fake.callsTo('sendMessage', '777000222')).toHaveLength(1);
  });
});

describe('invitation expiry', () => {
  it('the sweep marks unused invitations past their expiry as expired, and leaves the rest', async () => {
    const { expireInvitations } = await import('../../src/invitations/expire-invitations.js');
    const old = (await post({ unitCode: 'SNV', channel: 'telegram', dossierCode: 'EXP-OLD' })).json();
    const fresh = (await post({ unitCode: 'SNV', channel: 'telegram', dossierCode: 'EXP-NEW' })).json();
    await product.db.prisma.invitation.update({ where: { id: old.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    expect(await expireInvitations(product.db.prisma, new Date())).toBeGreaterThanOrEqual(1);
    expect(await product.db.prisma.invitation.findUniqueOrThrow({ where: { id: old.id } })).toMatchObject({ status: 'expired', dossierCode: null, recipientPhone: null, recipientChatId: null });
    expect((await product.db.prisma.invitation.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe('created');
    // The dossier is still found by its keyed hash: the one-stop system's retry gets the same invitation.
    expect((await post({ unitCode: 'SNV', channel: 'telegram', dossierCode: 'EXP-OLD' })).json().id).toBe(old.id);
    // The sweep runs hourly from one deployment-wide schedule.
    const schedulers = await product.ctx.queues.queue('maintenance').getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toContainEqual(['expire-invitations', 3_600_000]);
    expect(schedulers.map((s) => [s.key, s.every])).toContainEqual(['repair-answers', 600_000]);
  });
});

describe('POST /api/v1/invitations/bulk', () => {
  it('takes CSV from the one-stop system: good rows are created or found, bad rows reported by number', async () => {
    const csv = [
      'unitCode,channel,dossierCode,procedureCode,telegramChatId',
      'SNV,telegram,BULK-1,1.000656,',
      'SNV,telegram,BULK-2,,777000333',
      'NOPE,telegram,BULK-3,,',
      'SNV,fax,BULK-4,,',
      'SNV,telegram,BULK-1,,',
    ].join('\n');
    const { started, batch: body } = await bulkInvitations(product.app!, csv, { csv: true });
    // Validation answers at once; the unknown unit is only found by the worker.
    expect(started).toMatchObject({ total: 5, accepted: 4 });
    expect(started.rejected.map((r) => r.row)).toEqual([4]);
    expect({ created: body.created, existing: body.existing, errors: body.errors, processed: body.processed }).toEqual({ created: 2, existing: 1, errors: 2, processed: 5 });
    expect(body.results.map((r) => [r.row, r.status])).toEqual([[1, 'created'], [2, 'created'], [3, 'error'], [4, 'error'], [5, 'existing']]);
    expect(body.results[2]!.error).toContain('NOPE');
    expect(body.results[3]!.error).toContain('channel');
    expect(body.results[4]!.invitationId).toBe(body.results[0]!.invitationId);
    // Neither tokens nor recipients are reported.
    expect(JSON.stringify(body)).not.toMatch(/token|777000333/);
    // The row with a chat id is delivered through the queue.
    await waitUntil(() => fake.callsTo('sendMessage', '777000333')[0], 'bulk invitation delivered');
  });

  it('reports a row with a control character as an error of that row and still creates the others', async () => {
    const { started, batch } = await bulkInvitations(product.app!, { invitations: [{ unitCode: 'SNV', channel: 'telegram', dossierCode: 'NUL\u0000-1' }, { unitCode: 'SNV', channel: 'telegram', dossierCode: 'NUL-2' }] });
    expect(started.rejected[0]).toMatchObject({ row: 1, error: expect.stringContaining('control characters') });
    expect(batch.results.map((r) => [r.row, r.status])).toEqual([[1, 'error'], [2, 'created']]);
    expect(batch.results[0]!.error).toContain('control characters');
  });

  it('refuses an empty or oversized upload as a whole', async () => {
    const empty = await product.app!.inject({ method: 'POST', url: '/api/v1/invitations/bulk', headers: adminHeaders, payload: [] });
    expect(empty.statusCode).toBe(400);
    const many = Array.from({ length: 5001 }, (_, i) => ({ unitCode: 'SNV', channel: 'telegram', dossierCode: `M-${i}` }));
    const big = await product.app!.inject({ method: 'POST', url: '/api/v1/invitations/bulk', headers: adminHeaders, payload: many });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.message).toContain('5000');
  });
});
