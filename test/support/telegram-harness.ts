import { afterAll, beforeAll } from 'vitest';
import { FakeTelegramServer } from './fake-telegram-server.js';
import { adminHeaders, startProduct, type Product } from './start-product.js';
import { waitForNewMessages } from './telegram-survey-driver.js';
import { postUpdate, tgUpdate } from './telegram-updates.js';

export type TelegramHarness = {
  fake: FakeTelegramServer;
  product: Product;
  invite(dossierCode: string): Promise<{ id: string; token: string }>;
  /** An invited citizen who consented and sees question 1; `seen` = bot messages so far. */
  startSurvey(): Promise<{ chatId: number; inv: { id: string; token: string }; seen: number }>;
};

/**
 * The product with a fake Bot API and one unit (SNV), started before and stopped after
 * the file's tests. Chat ids start at `firstChatId` so files never share a chat.
 */
export function useTelegramProduct(firstChatId: number): TelegramHarness {
  let chatSeq = firstChatId;
  const h = {} as TelegramHarness;
  beforeAll(async () => {
    h.fake = await new FakeTelegramServer().start();
    h.product = await startProduct({ TELEGRAM_API_ROOT: h.fake.url });
    await h.product.app!.inject({ method: 'PUT', url: '/api/v1/units', headers: adminHeaders, payload: [{ code: 'SNV', name: 'Sở Nội vụ', group: 'department' }] });
  });
  afterAll(async () => {
    await h.product?.stop();
    await h.fake?.close();
  });
  h.invite = async (dossierCode) => {
    const res = await h.product.app!.inject({ method: 'POST', url: '/api/v1/invitations', headers: adminHeaders, payload: { unitCode: 'SNV', channel: 'telegram', dossierCode } });
    return res.json() as { id: string; token: string };
  };
  h.startSurvey = async () => {
    const chatId = chatSeq++;
    const inv = await h.invite(`D-${chatId}`);
    await postUpdate(h.product.app!, tgUpdate.text(chatId, `/start ${inv.token}`));
    await waitForNewMessages(h.fake, chatId, 0);
    await postUpdate(h.product.app!, tgUpdate.callback(chatId, 's:consent:yes', 1));
    const sent = await waitForNewMessages(h.fake, chatId, 1);
    return { chatId, inv, seen: sent.length };
  };
  return h;
}
