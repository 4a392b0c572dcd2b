import { afterAll, beforeAll } from 'vitest';
import { FakeTelegramServer } from './fake-telegram-server.js';
import { createInvitation, type CreatedInvitation, type InvitationRequest } from './invitations.js';
import { useProductClock, type ProductClock } from './product-clock.js';
import { startProduct, type Product } from './start-product.js';
import { waitForNewMessages } from './telegram-survey-driver.js';
import { postUpdate, tgUpdate } from './telegram-updates.js';
import { putUnits, SNV, type UnitRow } from './units.js';

export type TelegramHarnessOptions = {
  /** Chat ids handed out by startSurvey start here. */
  firstChatId: number;
  /** Units loaded before the tests (default: SNV); invitations go to the first one. */
  units?: UnitRow[];
  /** Receives every log line at trace level, for tests that read the logs. */
  logLines?: string[];
  /** Environment of the product, over the test defaults. */
  env?: Record<string, string>;
};

export type TelegramHarness = {
  fake: FakeTelegramServer;
  product: Product;
  clock: ProductClock;
  /** A Telegram invitation to the first unit; `fields` adds or overrides request fields. */
  invite(fields?: Partial<InvitationRequest>): Promise<CreatedInvitation>;
  /** An invited citizen who consented and sees question 1; `seen` = bot messages so far. */
  startSurvey(): Promise<{ chatId: number; inv: CreatedInvitation; seen: number }>;
};

/**
 * The product with a fake Bot API and its units, on a clock the tests may move, started
 * before and stopped after the file's tests.
 */
export function useTelegramProduct(opts: TelegramHarnessOptions): TelegramHarness {
  let chatSeq = opts.firstChatId;
  const units = opts.units ?? [SNV];
  const h = { clock: useProductClock() } as TelegramHarness;
  beforeAll(async () => {
    h.fake = await new FakeTelegramServer().start();
    h.product = await startProduct({ TELEGRAM_API_ROOT: h.fake.url, ...opts.env }, { now: h.clock.date, ...(opts.logLines ? { logLines: opts.logLines } : {}) });
    await putUnits(h.product.app!, units);
  });
  afterAll(async () => {
    await h.product?.stop();
    await h.fake?.close();
  });
  h.invite = (fields = {}) => createInvitation(h.product.app!, { unitCode: units[0]!.code, channel: 'telegram', ...fields });
  h.startSurvey = async () => {
    const chatId = chatSeq++;
    const inv = await h.invite({ dossierCode: `D-${chatId}` });
    await postUpdate(h.product.app!, tgUpdate.text(chatId, `/start ${inv.token}`));
    await waitForNewMessages(h.fake, chatId, 0);
    await postUpdate(h.product.app!, tgUpdate.callback(chatId, 's:consent:yes', 1));
    const sent = await waitForNewMessages(h.fake, chatId, 1);
    return { chatId, inv, seen: sent.length };
  };
  return h;
}
