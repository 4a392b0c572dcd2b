import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/manage-api-keys.js';
import type { Principal } from '../../src/auth/principal.js';
import type { AppContext } from '../../src/core/app-context.js';
import { vietnamDayBounds } from '../../src/core/vietnam-day.js';
import { parseBulkInvitations } from '../../src/invitations/parse-bulk-invitations.js';
import { failInvitationBatch, processInvitationBatch } from '../../src/invitations/process-invitation-batch.js';
import { startInvitationBatch } from '../../src/invitations/start-invitation-batch.js';
import { bulkInvitations, type InvitationBatch, type StartedBatch } from '../support/invitations.js';
import { adminHeaders } from '../support/start-product.js';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { SNV, XTP } from '../support/units.js';
import { waitUntil } from '../support/wait-until.js';

const DAILY_LIMIT = 5;
const h = useTelegramProduct({ firstChatId: 5_700_001, units: [SNV, XTP], env: { INVITATIONS_PER_KEY_PER_DAY: String(DAILY_LIMIT) } });
type Headers = { authorization: string };
let snvOfficer: Headers;
let xtpOfficer: Headers;
beforeAll(async () => {
  const key = async (name: string, unitCodes: string[]) => ({ authorization: `Bearer ${(await createApiKey(h.product.db.prisma, { name, role: 'officer', unitCodes })).key}` });
  snvOfficer = await key('SNV officer', ['SNV']);
  xtpOfficer = await key('XTP officer', ['XTP']);
});

const getBatch = (id: string, headers: Headers = adminHeaders) => h.product.app!.inject({ method: 'GET', url: `/api/v1/invitations/batches/${id}`, headers });
const upload = async (payload: unknown, headers: Headers = adminHeaders, csv = false) => {
  const res = await h.product.app!.inject({ method: 'POST', url: '/api/v1/invitations/bulk', headers: { ...headers, ...(csv ? { 'content-type': 'text/csv' } : {}) }, payload: payload as string });
  expect(res.statusCode, res.body).toBe(202);
  return res.json() as StartedBatch;
};

const CHAT_BASE = 5_710_000;
/** A one-stop-shop export as Excel saves it: BOM, ";", CRLF, Vietnamese headers; every 100th row names a Telegram chat. */
function oneStopExport(rows: number): string {
  const lines = ['\uFEFFMã đơn vị;Kênh;Mã thủ tục;Mã hồ sơ;Số điện thoại;Mã Telegram'];
  for (let i = 1; i <= rows; i++) {
    const bad: Record<number, string> = {
      10: 'SNV;fax;1.000656;HS-BG-10;;', // no such channel (refused at upload)
      20: 'SNV;Telegram;1.000656;HS-BG-20;;abc', // not a chat id (refused at upload)
      30: ';Telegram;1.000656;HS-BG-30;;', // no unit (refused at upload)
      40: 'NOPE;Telegram;1.000656;HS-BG-40;;', // unknown unit (found by the worker)
      50: 'SNV;Telegram;1.000656;HS-BG-1;;', // row 1's dossier again: its invitation
      60: 'SNV;Zalo;1.000656;HS-BG-60;0912345678;', // Zalo is not configured here (found by the worker)
    };
    if (bad[i]) lines.push(bad[i]!);
    else if (i % 250 === 7) lines.push('XTP;Telegram;1.001234;;;'); // no dossier code: a QR at the counter
    else lines.push(`SNV;Telegram;1.000656;HS-BG-${i};;${i % 100 === 0 ? CHAT_BASE + i : ''}`);
  }
  lines.push(';;;;;');
  return lines.join('\r\n') + '\r\n';
}

describe('a background bulk upload', () => {
  // 5,000 rows through the real queues: about 100 s on a 2-core machine busy with other suites.
  it('takes a 5,000-row one-stop-shop CSV, reports progress to completion, and delivers the rows that name a chat', async () => {
    const started = await upload(oneStopExport(5000), adminHeaders, true);
    expect(started).toMatchObject({ total: 5000, accepted: 4997 });
    expect(started.rejected.map((r) => r.row)).toEqual([10, 20, 30]);
    expect(started.rejected[0]!.error).toContain('channel');
    expect(started.rejected[1]!.error).toContain('not a Telegram chat id');
    expect(started.rejected[2]!.error).toContain('unitCode');

    // Polled as a progress bar would: without the rows.
    const seen: Omit<InvitationBatch, 'results'>[] = [];
    await waitUntil(
      async () => {
        const res = await h.product.app!.inject({ method: 'GET', url: `/api/v1/invitations/batches/${started.batchId}?results=none`, headers: adminHeaders });
        expect(res.statusCode).toBe(200);
        const batch = res.json() as Omit<InvitationBatch, 'results'>;
        expect(batch).not.toHaveProperty('results');
        seen.push(batch);
        return batch.status === 'done' && batch;
      },
      'the batch done',
      300_000,
      100,
    );
    const done = (await getBatch(started.batchId)).json() as InvitationBatch;
    const failed = (await h.product.app!.inject({ method: 'GET', url: `/api/v1/invitations/batches/${started.batchId}?results=errors`, headers: adminHeaders })).json() as InvitationBatch;
    expect(failed.results.map((r) => r.row)).toEqual([10, 20, 30, 40, 60]);
    // Progress only grows, and was seen part way.
    const processed = seen.map((b) => b.processed);
    expect(processed).toEqual([...processed].sort((a, b) => a - b));
    expect(seen.some((b) => b.status !== 'done' && b.processed < 5000)).toBe(true);

    expect({ processed: done.processed, created: done.created, existing: done.existing, errors: done.errors }).toEqual({ processed: 5000, created: 4994, existing: 1, errors: 5 });
    expect(done.results).toHaveLength(5000);
    const result = (row: number) => done.results[row - 1]!;
    expect(result(40)).toMatchObject({ status: 'error', error: expect.stringContaining('NOPE') });
    expect(result(60)).toMatchObject({ status: 'error', error: expect.stringContaining('Zalo') });
    expect(result(50)).toMatchObject({ status: 'existing', invitationId: result(1).invitationId });
    expect(result(7)).toMatchObject({ status: 'created', code: expect.stringMatching(/^[2-9A-HJ-NP-Z]{8}$/) });
    // Neither tokens nor chat ids nor phones are reported, and the rows' personal data is gone from the batch.
    expect(JSON.stringify(done)).not.toMatch(/token|5710100|0912345678|HS-BG/);
    const stored = await h.product.db.prisma.invitationBatch.findUniqueOrThrow({ where: { id: started.batchId } });
    expect(stored.pending).toBeNull();
    expect(await h.product.db.prisma.invitation.count({ where: { unit: { code: 'XTP' } } })).toBe(20);

    // The 50 rows that name a chat are delivered, each once.
    await waitUntil(() => Array.from({ length: 50 }, (_, k) => CHAT_BASE + (k + 1) * 100).every((chat) => h.fake.acceptedSendsTo(chat).length === 1), '50 invitations delivered', 60_000);
    const audit = await h.product.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'invitations.bulk' }, orderBy: { id: 'desc' } });
    expect(audit.details).toMatchObject({ batchId: started.batchId, total: 5000, accepted: 4997, rejected: 3 });
  }, 420_000);

  it('resumes a batch whose worker died mid-chunk without creating any row twice', async () => {
    const ctx = h.product.ctx;
    const admin: Principal = { keyId: 'bootstrap-admin', role: 'admin', unitCodes: [] };
    const chat = (i: number) => CHAT_BASE + 10_000 + i;
    // Half the rows have no dossier code: only their batch and row number tell them apart.
    const rows = Array.from({ length: 60 }, (_, k) => ({ unitCode: 'SNV', channel: 'telegram', ...(k % 2 ? { dossierCode: `HS-RESUME-${k}` } : {}), recipient: { telegramChatId: String(chat(k)) } }));
    // Stored without its job, so that this test plays the worker.
    const started = await startInvitationBatch({ ...ctx, queues: { add: async () => '' } as unknown as AppContext['queues'] }, admin, await parseBulkInvitations(rows, false));
    let adds = 0;
    const dying = {
      ...ctx,
      queues: {
        add: async (...args: Parameters<AppContext['queues']['add']>) => {
          if (++adds === 30) throw new Error('worker killed');
          return ctx.queues.add(...args);
        },
      } as unknown as AppContext['queues'],
    };
    await expect(processInvitationBatch(dying, started.batchId, { chunkSize: 20, concurrency: 2 })).rejects.toThrow('worker killed');
    const halfway = await h.product.db.prisma.invitationBatch.findUniqueOrThrow({ where: { id: started.batchId } });
    expect({ status: halfway.status, processed: halfway.processed }).toEqual({ status: 'running', processed: 20 });
    const madeBeforeDeath = await h.product.db.prisma.invitation.count({ where: { recipientChatId: { in: rows.map((_, k) => String(chat(k))) } } });
    expect(madeBeforeDeath).toBeGreaterThan(20);

    await processInvitationBatch(ctx, started.batchId, { chunkSize: 20, concurrency: 2 });
    const res = await getBatch(started.batchId);
    expect(res.json()).toMatchObject({ status: 'done', processed: 60, created: 60, existing: 0, errors: 0 });
    expect(await h.product.db.prisma.invitation.count({ where: { recipientChatId: { in: rows.map((_, k) => String(chat(k))) } } })).toBe(60);
    // Every chat gets its invitation, the one whose queueing "crashed" included, and only once.
    await waitUntil(() => rows.every((_, k) => h.fake.acceptedSendsTo(chat(k)).length >= 1), '60 invitations delivered', 30_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(rows.filter((_, k) => h.fake.acceptedSendsTo(chat(k)).length !== 1)).toEqual([]);
  }, 60_000);

  it('marks a batch whose job failed for good as failed, and forgets the rows not yet processed', async () => {
    const admin: Principal = { keyId: 'bootstrap-admin', role: 'admin', unitCodes: [] };
    const rows = [{ unitCode: 'SNV', channel: 'telegram', dossierCode: 'HS-FAIL-1', recipient: { telegramChatId: String(CHAT_BASE + 20_001) } }];
    const started = await startInvitationBatch({ ...h.product.ctx, queues: { add: async () => '' } as unknown as AppContext['queues'] }, admin, await parseBulkInvitations(rows, false));
    await failInvitationBatch(h.product.db.prisma, started.batchId, new Date());
    const row = await h.product.db.prisma.invitationBatch.findUniqueOrThrow({ where: { id: started.batchId } });
    expect({ status: row.status, pending: row.pending }).toEqual({ status: 'failed', pending: null });
    expect((await getBatch(started.batchId)).json()).toMatchObject({ status: 'failed', processed: 0 });
  });

  it('shows an officer only the batches of their own key', async () => {
    const started = await upload([{ unitCode: 'SNV', channel: 'telegram', dossierCode: 'HS-SCOPE-1' }], snvOfficer);
    expect((await getBatch(started.batchId, snvOfficer)).statusCode).toBe(200);
    expect((await getBatch(started.batchId)).statusCode).toBe(200);
    const other = await getBatch(started.batchId, xtpOfficer);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('not_found');
    expect((await getBatch('6f1c0a52-0000-4000-8000-000000000000', snvOfficer)).statusCode).toBe(404);
  });
});

describe('the per-key daily invitation limit', () => {
  it('refuses a key past its daily count with 429 and Retry-After, and makes the rows past it errors of a batch', async () => {
    const key = { authorization: `Bearer ${(await createApiKey(h.product.db.prisma, { name: 'limited', role: 'officer', unitCodes: ['SNV'] })).key}` };
    const post = (dossierCode: string) => h.product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: key, payload: { unitCode: 'SNV', channel: 'telegram', dossierCode } });
    for (const n of [1, 2, 3]) expect((await post(`HS-LIMIT-${n}`)).statusCode).toBe(201);

    const { batch } = await bulkInvitations(h.product.app!, ['A', 'B', 'C', 'D'].map((x) => ({ unitCode: 'SNV', channel: 'telegram', dossierCode: `HS-LIMIT-${x}` })), { headers: key });
    expect({ created: batch.created, errors: batch.errors }).toEqual({ created: 2, errors: 2 });
    expect(batch.results.filter((r) => r.status === 'error').map((r) => r.error)).toEqual([expect.stringContaining(`its ${DAILY_LIMIT} invitations for today`), expect.stringContaining(`its ${DAILY_LIMIT} invitations`)]);

    const refused = await post('HS-LIMIT-6');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'daily_invitation_limit', message: expect.stringContaining('00:00 Vietnam time') });
    const { end } = vietnamDayBounds(h.clock.date());
    const retryAfter = Number(refused.headers['retry-after']);
    expect(Math.abs(retryAfter - (end.getTime() - Date.now()) / 1000)).toBeLessThan(5);
    expect(refused.json().error.details.resetsAt).toMatch(/T00:00:00\+07:00$/);
    // Asking again for an invitation that exists costs nothing.
    expect((await post('HS-LIMIT-1')).statusCode).toBe(200);
    // Other keys have their own count, and the limit is of the day: tomorrow (Vietnam time) the key may invite again.
    const xtp = await h.product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: xtpOfficer, payload: { unitCode: 'XTP', channel: 'telegram' } });
    expect(xtp.statusCode).toBe(201);
    h.clock.offsetMs = end.getTime() - Date.now() + 60_000;
    expect((await post('HS-LIMIT-7')).statusCode).toBe(201);
  });
});
