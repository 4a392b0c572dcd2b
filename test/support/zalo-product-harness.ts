import { afterAll, beforeAll, expect } from 'vitest';
import { createFakeZaloServer, type FakeZaloServer } from './fake-zalo-server.js';
import { adminHeaders, startProduct, type Product } from './start-product.js';
import { waitUntil } from './wait-until.js';
import { ZaloChat } from './zalo-chat.js';
import { postZalo, ZALO_TEST, zaloEnv, zaloEvent } from './zalo-webhook-events.js';

export type ZaloProductHarness = {
  fake: FakeZaloServer;
  product: Product;
  /** A fresh Zalo user id (numeric string). */
  nextUserId(): string;
  invite(recipient?: Record<string, string>): Promise<{ id: string; code: string }>;
  /** An invited citizen who sent the code and consented, now at question 1. */
  atFirstQuestion(): Promise<ZaloChat>;
  /** Sends without waiting for a reply (for tests where the reply is what fails). */
  answerQuietly(chat: ZaloChat, text: string): Promise<void>;
};

/**
 * The product with a fake Zalo and one unit (SNV), on the caller's clock, started
 * before and stopped after the file's tests, once the seeded token was refreshed.
 */
export function useZaloProduct(opts: { firstUserId: bigint; dossierPrefix: string; now: () => number }): ZaloProductHarness {
  let userSeq = opts.firstUserId;
  const h = {} as ZaloProductHarness;
  beforeAll(async () => {
    h.fake = await createFakeZaloServer({ appId: ZALO_TEST.appId, appSecretKey: ZALO_TEST.appSecretKey, accessToken: ZALO_TEST.accessToken, refreshToken: ZALO_TEST.refreshToken });
    h.product = await startProduct(zaloEnv(h.fake.url), { now: () => new Date(opts.now()) });
    await h.product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }] });
    await waitUntil(async () => ((await h.product.db.prisma.zaloToken.findFirst())?.version ?? 0) >= 1, 'first token upkeep');
  });
  afterAll(async () => {
    await h.product?.stop();
    await h.fake?.close();
  });
  h.nextUserId = () => String(userSeq++);
  h.invite = async (recipient = {}) => {
    const res = await h.product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'zalo', dossierCode: `${opts.dossierPrefix}-${userSeq++}`, recipient } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: string; code: string };
  };
  h.atFirstQuestion = async () => {
    const { code } = await h.invite();
    const chat = new ZaloChat(h.product.app!, h.fake, h.nextUserId(), opts.now);
    await chat.say(code);
    expect((await chat.say('1')).at(-1)).toMatch(/^Câu 1\//m);
    return chat;
  };
  h.answerQuietly = async (chat, text) => {
    expect((await postZalo(h.product.app!, zaloEvent.text(chat.userId, text, { at: opts.now() }))).statusCode).toBe(200);
  };
  return h;
}
