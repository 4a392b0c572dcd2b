import { afterAll, beforeAll, expect } from 'vitest';
import { FakeTelegramServer } from './fake-telegram-server.js';
import { createFakeZaloServer, type FakeZaloServer } from './fake-zalo-server.js';
import { createInvitation, type CreatedInvitation, type InvitationRequest } from './invitations.js';
import { useProductClock, type ProductClock } from './product-clock.js';
import { startProduct, type Product } from './start-product.js';
import { putUnits, SNV, type UnitRow } from './units.js';
import { waitUntil } from './wait-until.js';
import { ZaloChat } from './zalo-chat.js';
import { postZalo, ZALO_TEST, zaloEnv, zaloEvent } from './zalo-webhook-events.js';

export type ZaloHarnessOptions = {
  /** Zalo user ids, and the numbers in generated dossier codes, count up from here. */
  firstUserId: bigint;
  /** Prefix of the dossier codes `invite` generates (one dossier per invitation and unit). */
  dossierPrefix: string;
  /** More product environment, e.g. ZALO_BUTTONS or ZALO_ZNS_PARAMS. */
  env?: Record<string, string>;
  /** Units loaded before the tests (default: SNV); invitations go to the first one. */
  units?: UnitRow[];
  /** Receives every log line at trace level, for tests that read the logs. */
  logLines?: string[];
  /**
   * Wait before the tests until the first token upkeep has refreshed the seeded token
   * (default), so no test races it. Off for tests that watch that refresh themselves.
   */
  tokenReady?: boolean;
  /** Also a fake Bot API behind the product, for tests that compare the two channels. */
  telegram?: boolean;
};

export type ZaloProductHarness = {
  fake: FakeZaloServer;
  product: Product;
  clock: ProductClock;
  /** The fake Bot API, with `telegram: true` only. */
  telegram: FakeTelegramServer;
  /** A fresh Zalo user id (numeric string). */
  nextUserId(): string;
  /** A citizen with a fresh user id, whose events are signed on the product's clock. */
  newChat(): ZaloChat;
  /** A Zalo invitation to the first unit with a fresh dossier code; `fields` adds or overrides request fields. */
  invite(fields?: Partial<InvitationRequest>): Promise<CreatedInvitation>;
  /** An invited citizen who sent the code and consented, now at question 1. */
  atFirstQuestion(): Promise<{ chat: ZaloChat; invitation: CreatedInvitation }>;
  /** Sends without waiting for a reply (for tests where the reply is what fails). */
  answerQuietly(chat: ZaloChat, text: string): Promise<void>;
};

/**
 * The product with a fake Zalo (knowing the test OA's secrets and seeded tokens) and its
 * units, on a clock the tests may move, started before and stopped after the file's tests.
 */
export function useZaloProduct(opts: ZaloHarnessOptions): ZaloProductHarness {
  let userSeq = opts.firstUserId;
  const units = opts.units ?? [SNV];
  const h = { clock: useProductClock() } as ZaloProductHarness;
  beforeAll(async () => {
    h.fake = await createFakeZaloServer({ appId: ZALO_TEST.appId, appSecretKey: ZALO_TEST.appSecretKey, accessToken: ZALO_TEST.accessToken, refreshToken: ZALO_TEST.refreshToken });
    if (opts.telegram) h.telegram = await new FakeTelegramServer().start();
    const env = zaloEnv(h.fake.url, { ...(opts.telegram ? { TELEGRAM_API_ROOT: h.telegram.url } : {}), ...opts.env });
    h.product = await startProduct(env, { now: h.clock.date, ...(opts.logLines ? { logLines: opts.logLines } : {}) });
    await putUnits(h.product.app!, units);
    if (opts.tokenReady ?? true) await waitUntil(async () => ((await h.product.db.prisma.zaloToken.findFirst())?.version ?? 0) >= 1, 'first token upkeep');
  });
  afterAll(async () => {
    await h.product?.stop();
    await h.fake?.close();
    await h.telegram?.close();
  });
  h.nextUserId = () => String(userSeq++);
  h.newChat = () => new ZaloChat(h.product.app!, h.fake, h.nextUserId(), h.clock.now);
  h.invite = (fields = {}) => createInvitation(h.product.app!, { unitCode: units[0]!.code, channel: 'zalo', dossierCode: `${opts.dossierPrefix}-${userSeq++}`, ...fields });
  h.atFirstQuestion = async () => {
    const invitation = await h.invite();
    const chat = h.newChat();
    await chat.say(invitation.code);
    expect((await chat.say('1')).at(-1)).toMatch(/^Câu 1\//m);
    return { chat, invitation };
  };
  h.answerQuietly = async (chat, text) => {
    expect((await postZalo(h.product.app!, zaloEvent.text(chat.userId, text, { at: h.clock.now() }))).statusCode).toBe(200);
  };
  return h;
}
