import type { Question, QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import type { FakeTelegramServer, TelegramCall } from '../support/fake-telegram-server.js';
import { tgUpdate } from '../support/telegram-updates.js';

/**
 * A citizen who answers a whole survey over real HTTP, the way Telegram delivers: one
 * update at a time per chat (the next waits for the previous one's 2xx), each retried
 * until it is acknowledged, and each acknowledged one delivered again (`copies` in all),
 * as Telegram does when an acknowledgement is lost. What the citizen chose is kept, to be
 * compared with what PostgreSQL stored.
 */

type Button = { text: string; callback_data: string };
const keyboardOf = (call: TelegramCall): Button[] => ((call.body.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const codeOf = (call: TelegramCall) => keyboardOf(call).find((b) => b.callback_data.startsWith('a:'))?.callback_data.split(':')[1];
const isQuestion = (call: TelegramCall) => /^Câu \d+\/\d+/.test(String(call.body.text ?? ''));

/** The bot's messages by chat, read incrementally from the fake's call log. */
export class Inbox {
  private read = 0;
  private readonly byChat = new Map<number, TelegramCall[]>();

  constructor(private readonly fake: FakeTelegramServer) {}

  messages(chatId: number): TelegramCall[] {
    const calls = this.fake.calls;
    for (; this.read < calls.length; this.read++) {
      const c = calls[this.read]!;
      if (c.method !== 'sendMessage' || c.status !== 200) continue;
      const chat = Number(c.body.chat_id);
      this.byChat.set(chat, [...(this.byChat.get(chat) ?? []), c]);
    }
    return this.byChat.get(chatId) ?? [];
  }
}

export type Delivery = { webhookUrl: () => string; secret: string; copies: number; stepTimeoutMs: number };

export type CitizenReport = { chatId: number; finished: boolean; finalText: string; chosen: Record<string, string>; retries: number; represses: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts one update until it is acknowledged (any 2xx), then its extra copies; returns how many tries failed. */
export async function deliver(d: Delivery, update: unknown, deadline: number): Promise<number> {
  const body = JSON.stringify(update);
  const post = () =>
    fetch(d.webhookUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': d.secret }, body, signal: AbortSignal.timeout(10_000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.ok;
      },
      () => false,
    );
  let failed = 0;
  for (let wait = 200; !(await post()); wait = Math.min(2_000, wait * 2)) {
    failed++;
    if (Date.now() > deadline) throw new Error('an update was never acknowledged');
    await sleep(wait);
  }
  await Promise.all(Array.from({ length: d.copies - 1 }, (_, i) => sleep(i * 20).then(post)));
  return failed;
}

/** The option this citizen picks for a question: varied per citizen so that answers tell citizens apart. */
export function choiceFor(q: Question, citizen: number): string {
  const h = [...q.code].reduce((s, c) => s + c.charCodeAt(0), 0) + citizen * 7;
  switch (q.kind) {
    case 'likert5':
      return String((h % 5) + 1);
    case 'yesno':
      return q.code === 'complaint' ? '1' : String((h % 2) + 1);
    case 'single':
      return String((h % q.options.length) + 1);
    case 'multi':
      return '1,3';
    case 'text':
      return fingerprint(citizen);
  }
}

/** The free-text comment that identifies a citizen's response in PostgreSQL (responses keep no link to the person). */
export const fingerprint = (citizen: number) => `Ý kiến của công dân số ${citizen}: cán bộ nhiệt tình.`;

export async function driveCitizen(d: Delivery, inbox: Inbox, def: QuestionnaireDefinition, citizen: number, chatId: number, startText: string): Promise<CitizenReport> {
  const report: CitizenReport = { chatId, finished: false, finalText: '', chosen: {}, retries: 0, represses: 0 };
  const deadline = Date.now() + 20 * 60_000;
  const send = async (update: unknown): Promise<void> => {
    report.retries += await deliver(d, update, deadline);
  };

  /** Waits for a message newer than `seen` that moves on from `answered`; after a silent spell the citizen presses again. */
  const next = async (seen: number, again: () => Promise<void>): Promise<{ call: TelegramCall; count: number }> => {
    let quietSince = Date.now();
    for (;;) {
      const all = inbox.messages(chatId);
      if (all.length > seen) return { call: all.at(-1)!, count: all.length };
      if (Date.now() > deadline) throw new Error(`citizen ${citizen}: no reply`);
      if (Date.now() - quietSince > d.stepTimeoutMs) {
        report.represses++;
        await again();
        quietSince = Date.now();
      }
      await sleep(40);
    }
  };

  let seen = inbox.messages(chatId).length;
  const start = () => send(tgUpdate.text(chatId, startText));
  await start();
  let { call, count } = await next(seen, start);
  seen = count;
  const consent = () => send(tgUpdate.callback(chatId, 's:consent:yes', 1));
  await consent();
  let last = consent;
  for (let step = 0; step < 300; step++) {
    ({ call, count } = await next(seen, last));
    seen = count;
    if (!isQuestion(call)) {
      // Anything but a question is the thank-you, or a notice followed by the question again.
      const text = String(call.body.text);
      if (text.includes(def.thanks.vi)) {
        report.finished = true;
        report.finalText = text;
        return report;
      }
      continue;
    }
    const code = codeOf(call) ?? def.questions.find((q) => q.kind === 'text')?.code;
    const q = def.questions.find((x) => x.code === code);
    if (!q) throw new Error(`citizen ${citizen}: unknown question in "${String(call.body.text).slice(0, 40)}"`);
    const choice = choiceFor(q, citizen);
    report.chosen[q.code] = choice;
    last = q.kind === 'multi' || q.kind === 'text' ? () => send(tgUpdate.text(chatId, choice)) : () => send(tgUpdate.callback(chatId, `a:${q.code}:${choice}`, Number(call.body.message_id ?? 1)));
    await last();
  }
  throw new Error(`citizen ${citizen}: the survey did not end`);
}

/** What PostgreSQL should hold for the choices (status, score, value), as the engine records them. */
export function expectedStored(def: QuestionnaireDefinition, chosen: Record<string, string>): Record<string, { status: string; score: number | null; value: unknown }> {
  const out: Record<string, { status: string; score: number | null; value: unknown }> = {};
  for (const [code, choice] of Object.entries(chosen)) {
    const q = def.questions.find((x) => x.code === code)!;
    if (q.kind === 'likert5') out[code] = { status: 'answered', score: Number(choice), value: Number(choice) };
    else if (q.kind === 'yesno') out[code] = { status: 'answered', score: null, value: choice === '1' };
    else if (q.kind === 'single') out[code] = { status: 'answered', score: null, value: q.options[Number(choice) - 1]!.value };
    else if (q.kind === 'multi') out[code] = { status: 'answered', score: null, value: choice.split(',').map((n) => q.options[Number(n) - 1]!.value) };
    else out[code] = { status: 'answered', score: null, value: choice };
  }
  return out;
}
