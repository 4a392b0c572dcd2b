import { describe, expect, it } from 'vitest';
import { QUEUE } from '../../src/queues/queue-names.js';
import { adminHeaders } from '../support/start-product.js';
import { storedAnywhere } from '../support/stored-anywhere.js';
import { useTelegramProduct } from '../support/telegram-harness.js';
import { driveSurvey } from '../support/telegram-survey-driver.js';
import { waitUntil } from '../support/wait-until.js';

const h = useTelegramProduct({ firstChatId: 5_570_001 });
const chatId = 5_570_001;
const dossier = 'HS-ANON-20261205-0001';
// A lone surrogate (a broken emoji from a buggy keyboard) and a phone number in the comment.
const comment = `Thủ tục nhanh \ud83d, gọi tôi 0912 345 678 nhé (mã riêng ZQX-${chatId})`;

/** Every value of every Redis key under the product's prefix, as text. */
async function redisDump(): Promise<Map<string, string>> {
  const { redis } = h.product.ctx;
  const out = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${h.product.config.redisPrefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      const value =
        type === 'string' ? await redis.get(key)
        : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
        : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
        : type === 'set' ? JSON.stringify(await redis.smembers(key))
        : type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1))
        : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+'))
        : '';
      out.set(key, `${key} ${value ?? ''}`);
    }
  } while (cursor !== '0');
  return out;
}

describe('anonymity at rest', () => {
  it('after completion no join from answers reaches a phone, chat id or dossier code, the API shows a day, and Redis keeps none of it', async () => {
    const inv = await h.invite({ dossierCode: dossier, recipient: { telegramChatId: String(chatId) } });
    await waitUntil(async () => (await h.product.db.prisma.invitation.findUnique({ where: { id: inv.id } }))?.status === 'sent', 'invitation delivered');
    const { finalText } = await driveSurvey(h.product.app!, h.fake, chatId, `/start ${inv.token}`, undefined, comment);
    expect(finalText).toMatch(/cảm ơn/i);
    const db = h.product.db.prisma;
    const response = await waitUntil(async () => (await db.response.findFirst({ where: { status: 'completed' }, include: { answers: true } })) ?? undefined, 'response completed');

    // The lone surrogate did not fail the answers job: the comment is stored, without it.
    const stored = response.answers.find((a) => a.questionCode === 'comment');
    expect(stored?.value).toBe('Thủ tục nhanh , gọi tôi 0912 345 678 nhé (mã riêng ZQX-5570001)'.replace('5570001', String(chatId)));

    // Every path the schema offers from an answer to a person is cut.
    const joined = await db.$queryRaw<{ invitation: string | null; respondent: string | null; started: Date | null; completed: Date | null; answered: Date | null }[]>`
      SELECT i.id::text AS invitation, p.id::text AS respondent, r.started_at AS started, r.completed_at AS completed, a.answered_at AS answered
      FROM answers a JOIN responses r ON r.id = a.response_id
      LEFT JOIN invitations i ON i.id = r.invitation_id
      LEFT JOIN respondents p ON p.id = r.respondent_id
      LEFT JOIN outbound_messages o ON o.invitation_id = i.id`;
    expect(joined.length).toBe(response.answers.length);
    expect(joined.every((j) => j.invitation === null && j.respondent === null && j.started === null && j.completed === null && j.answered === null)).toBe(true);
    // The chat id stays only where the bot needs it (opt-outs); the dossier code nowhere.
    expect(await storedAnywhere(db, String(chatId))).toEqual(expect.arrayContaining(['respondents']));
    expect((await storedAnywhere(db, String(chatId))).filter((t) => t !== 'respondents' && t !== 'answers')).toEqual([]);
    expect(await storedAnywhere(db, dossier)).toEqual([]);
    const invitation = await db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    expect(invitation).toMatchObject({ status: 'completed', recipientChatId: null, recipientPhone: null, dossierCode: null, completedAt: null, sentAt: null, openedAt: null, startedAt: null });
    expect(invitation.completedDay).not.toBeNull();

    // Officers see the status and the completion day, never a time.
    const view = (await h.product.app!.inject({ method: 'GET', url: `/api/v1/invitations/${inv.id}`, headers: adminHeaders })).json() as Record<string, unknown>;
    expect(view).toMatchObject({ status: 'completed', completedDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), sentAt: null, openedAt: null, startedAt: null });
    expect(view).not.toHaveProperty('completedAt');

    // Once the jobs are done, Redis holds neither the chat id nor the answers.
    await waitUntil(async () => {
      // The maintenance queue always holds its next scheduled sweeps (empty payloads).
      for (const q of Object.values(QUEUE).filter((name) => name !== QUEUE.maintenance)) {
        const c = await h.product.ctx.queues.queue(q).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
        if (Object.values(c).some((n) => n > 0)) return false;
      }
      return true;
    }, 'every queue empty');
    const dump = await redisDump();
    // Nor the stored response's id: the session is found from the chat id (its key is a hash of it).
    const leaks = [...dump.values()].filter((v) => v.includes(String(chatId)) || v.includes('ZQX-') || v.includes('0912 345 678') || v.includes(response.id));
    expect(leaks).toEqual([]);
  });
});
