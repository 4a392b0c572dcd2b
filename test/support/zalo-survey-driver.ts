import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { Question, QuestionnaireDefinition } from '../../src/questionnaire/definition-schema.js';
import { FAKE_ZALO_PATHS, type FakeZaloCall, type FakeZaloServer } from './fake-zalo-server.js';
import { scriptedAnswer } from './survey-script.js';
import { postZalo, zaloEvent } from './zalo-webhook-events.js';
import { waitUntil } from './wait-until.js';

/** How the citizen answers one question: type the number, type the option's text, or tap a button. */
export type ZaloAnswerMode = 'number' | 'label' | 'payload';

type Button = { title: string; payload: string; type: string };
export const csText = (c: FakeZaloCall): string => String(c.body?.message?.text ?? '');
export const csButtons = (c: FakeZaloCall): Button[] => (c.body?.message?.attachment?.payload?.buttons as Button[] | undefined) ?? [];

/** CS messages Zalo accepted for this user, in order. */
export const csTo = (fake: FakeZaloServer, userId: string): FakeZaloCall[] =>
  fake.delivered(FAKE_ZALO_PATHS.cs).filter((c) => c.body?.recipient?.user_id === userId);

/** Waits for CS messages beyond `seen`, then until the sending job has finished (no new message for a moment). */
export async function waitForCs(fake: FakeZaloServer, userId: string, seen: number): Promise<FakeZaloCall[]> {
  await waitUntil(() => csTo(fake, userId).length > seen, `Zalo reply to user ${userId}`);
  let count = csTo(fake, userId).length;
  for (;;) {
    await new Promise((r) => setTimeout(r, 60));
    const now = csTo(fake, userId).length;
    if (now === count) return csTo(fake, userId);
    count = now;
  }
}

/** The question a CS message asks ("Câu n/N" then the question text), if any. */
export function askedQuestion(def: QuestionnaireDefinition, text: string): Question | undefined {
  const m = /^Câu \d+\/\d+\n([\s\S]*)$/m.exec(text);
  if (!m) return undefined;
  const rest = m[1]!;
  return def.questions.filter((q) => rest.startsWith(q.text.vi.normalize('NFC'))).sort((a, b) => b.text.vi.length - a.text.vi.length)[0];
}

/** Numbered option lines of a CS message: "3. Bình thường" → {"3": "Bình thường"}. */
export function numberedLabels(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^(\d+)\. (?:✅ )?(.+)$/gm)].map((m) => [m[1]!, m[2]!]));
}

export type ZaloDriveOptions = {
  app: FastifyInstance;
  fake: FakeZaloServer;
  userId: string;
  def: QuestionnaireDefinition;
  /** The first message: a survey code, "/start", … */
  startText: string;
  mode: (step: number, q: Question) => ZaloAnswerMode;
};

/**
 * Drives a whole survey through signed `user_send_text` events: the start text, consent,
 * then each question as the bot asks it, answered with `scriptedAnswer` in the chosen
 * mode, until a message that asks nothing. Returns the transcript and the modes used.
 */
export async function driveZaloSurvey(o: ZaloDriveOptions) {
  const used: Record<ZaloAnswerMode, number> = { number: 0, label: 0, payload: 0 };
  let seen = csTo(o.fake, o.userId).length;
  const say = async (text: string) => {
    const t0 = performance.now();
    expect((await postZalo(o.app, zaloEvent.text(o.userId, text))).statusCode).toBe(200);
    // Zalo wants its answer within 2 s; the webhook only applies the event and enqueues.
    expect(performance.now() - t0).toBeLessThan(2000);
    const sent = await waitForCs(o.fake, o.userId, seen);
    seen = sent.length;
    return sent.at(-1)!;
  };
  let last = await say(o.startText);
  expect(csText(last)).toContain('Gõ 1 để bắt đầu');
  last = await say(csButtons(last).length ? 's:consent:yes' : 'Bắt đầu');
  for (let step = 0; step < 200; step++) {
    const text = csText(last);
    const q = askedQuestion(o.def, text);
    if (!q) return { transcript: csTo(o.fake, o.userId), finalText: text, used };
    const a = scriptedAnswer(q);
    if (a.kind === 'text') {
      last = await say(a.text);
      continue;
    }
    let mode = o.mode(step, q);
    const payloads = [...a.numbers.map((n) => `a:${q.code}:${n}`), ...(q.kind === 'multi' ? [`a:${q.code}:ok`] : [])];
    // A button can only be tapped when the message has it; multi-choice labels contain commas.
    if (mode === 'payload' && !payloads.every((p) => csButtons(last).some((b) => b.payload === p))) mode = 'number';
    if (mode === 'label' && q.kind === 'multi') mode = 'number';
    used[mode] += 1;
    if (mode === 'payload') {
      for (const p of payloads) last = await say(p);
    } else if (mode === 'label') {
      const labels = numberedLabels(text);
      last = await say(a.numbers.map((n) => labels[n]!).join(', '));
    } else {
      last = await say(a.numbers.join(','));
    }
  }
  throw new Error('survey did not end within 200 steps');
}
