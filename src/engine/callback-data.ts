import { callbackDataSchema } from './outbound-message.js';
import type { ChoiceEvent } from './inbound-event.js';

/**
 * Compact, ASCII-only button payloads (≤ 64 bytes, never Vietnamese text):
 *   a:<questionCode>:<value>   a questionnaire question; value = option number ("1"…, "0" = N/A),
 *                              "ok" (multi-choice done), "skip", "back"
 *   s:<step>:<value>           a setup step: consent (yes|no), unit (c-<unitCode> | n-<index>), procedure (skip)
 * Question codes are ≤ 32 chars of [A-Za-z0-9._-] (definition schema), so "a:" payloads stay ≤ 47 bytes.
 */
const QUESTION = /^a:([A-Za-z0-9._-]{1,32}):([A-Za-z0-9_.-]{1,28})$/;
const STEP = /^s:(consent|unit|procedure):([A-Za-z0-9_.-]{1,48})$/;

export class CallbackDataError extends Error {
  override name = 'CallbackDataError';
}

export function encodeCallbackData(questionCode: string, value: string): string {
  const data = questionCode.startsWith('@') ? `s:${questionCode.slice(1)}:${value}` : `a:${questionCode}:${value}`;
  if (!callbackDataSchema.safeParse(data).success || !(QUESTION.test(data) || STEP.test(data))) {
    throw new CallbackDataError(`cannot encode callback data for ${questionCode}/${value}`);
  }
  return data;
}

/** Button payload → choice event, or null when it is not ours (Zalo: treat it as typed text then). */
export function decodeCallbackData(data: string, messageId?: string): ChoiceEvent | null {
  const trimmed = data.trim();
  const m = QUESTION.exec(trimmed) ?? STEP.exec(trimmed);
  if (!m) return null;
  const questionCode = trimmed.startsWith('s:') ? `@${m[1]!}` : m[1]!;
  return { type: 'choice', questionCode, value: m[2]!, ...(messageId ? { messageId } : {}) };
}
