import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { FakeTelegramServer, TelegramCall } from './fake-telegram-server.js';
import { postUpdate, tgUpdate } from './telegram-updates.js';
import { waitUntil } from './wait-until.js';

type Button = { text: string; callback_data: string };
export const keyboardOf = (call: TelegramCall): Button[] =>
  ((call.body.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();

/** How the scripted citizen answers: callback data of the button to press, or text to type. */
export type AnswerPlan = (questionCode: string, buttons: Button[]) => { press: string[] } | { type: string };

/** A deterministic plan: likert answers vary with the question (2.3 "no opinion" where offered), filter says yes, first option elsewhere. */
export const defaultPlan: AnswerPlan = (code, buttons) => {
  const values = buttons.map((b) => b.callback_data.split(':')[2]!);
  if (values.includes('ok')) return { press: [buttons[0]!.callback_data, buttons[1]!.callback_data, `a:${code}:ok`] };
  if (values.includes('5') && values.includes('4')) {
    const h = [...code].reduce((s, c) => s + c.charCodeAt(0), 0);
    // "No opinion" on 2.3 where the form offers it (a province variant), so N/A travels end to end.
    const pick = code === '2.3' && values.includes('0') ? '0' : String((h % 5) + 1);
    return { press: [`a:${code}:${pick}`] };
  }
  return { press: [buttons.find((b) => b.callback_data.startsWith(`a:${code}:`))!.callback_data] };
};

/**
 * Waits until chat `chatId` has more than `seen` messages that the fake accepted, and
 * returns them all. Refused calls (injected faults, limits) are not messages the citizen
 * saw, so they never count: a retried send is counted once, when it goes through.
 */
export async function waitForNewMessages(fake: FakeTelegramServer, chatId: number, seen: number): Promise<TelegramCall[]> {
  await waitUntil(() => fake.acceptedSendsTo(chatId).length > seen, `bot reply to chat ${chatId}`);
  // Give the same job's remaining sends a moment (they are sent in order by one job).
  await new Promise((r) => setTimeout(r, 30));
  return fake.acceptedSendsTo(chatId);
}

/**
 * Drives a whole survey through POST /webhooks/telegram: /start <token>, consent, then
 * every question as the bot asks it, until the thank-you. Returns the transcript.
 */
export async function driveSurvey(app: FastifyInstance, fake: FakeTelegramServer, chatId: number, startText: string, plan: AnswerPlan = defaultPlan, freeText = 'Cán bộ nhiệt tình, thủ tục nhanh.') {
  /** Button presses the webhook answered in its response (answerCallbackQuery). */
  let answeredPresses = 0;
  const press = async (data: string, messageId: number) => {
    const update = tgUpdate.callback(chatId, data, messageId);
    const res = await postUpdate(app, update);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { method?: string; callback_query_id?: string };
    if (body.method === 'answerCallbackQuery' && body.callback_query_id === update.callback_query.id) answeredPresses++;
  };
  let sent = fake.acceptedSendsTo(chatId);
  const seenBefore = sent.length;
  expect((await postUpdate(app, tgUpdate.text(chatId, startText))).statusCode).toBe(200);
  sent = await waitForNewMessages(fake, chatId, seenBefore);
  let last = sent.at(-1)!;
  const start = keyboardOf(last).find((b) => b.callback_data === 's:consent:yes');
  expect(start, 'consent keyboard').toBeDefined();
  let seen = sent.length;
  await press('s:consent:yes', 1);
  for (let step = 0; step < 200; step++) {
    sent = await waitForNewMessages(fake, chatId, seen);
    seen = sent.length;
    last = sent.at(-1)!;
    const buttons = keyboardOf(last).filter((b) => b.callback_data.startsWith('a:'));
    const text = String(last.body.text);
    if (!/^Câu \d+\/\d+/.test(text)) return { transcript: sent, finalText: text, answeredPresses };
    const code = buttons[0]?.callback_data.split(':')[1];
    const answerButtons = buttons.filter((b) => b.callback_data.startsWith(`a:${code}:`) && !/:(back|skip)$/.test(b.callback_data));
    if (!code || answerButtons.length === 0) {
      // A free-text question.
      expect((await postUpdate(app, tgUpdate.text(chatId, freeText))).statusCode).toBe(200);
      continue;
    }
    const action = plan(code, answerButtons);
    if ('type' in action) {
      expect((await postUpdate(app, tgUpdate.text(chatId, action.type))).statusCode).toBe(200);
      continue;
    }
    for (const data of action.press) {
      const before = fake.calls.length;
      await press(data, 2000 + step);
      if (data !== action.press.at(-1)) await waitUntil(() => fake.calls.length > before, 'toggle acknowledgement');
    }
  }
  throw new Error('survey did not end within 200 steps');
}
