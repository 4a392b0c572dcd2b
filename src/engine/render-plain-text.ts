import type { TextMessage } from './outbound-message.js';

/**
 * A message as plain text with numbered options, for channels without buttons
 * (Zalo CS messages, the terminal simulator): the citizen types the number.
 * Controls without a number (back, skip, done) are covered by the typing hint.
 */
export function renderPlainText(message: TextMessage): string {
  const lines = (message.options ?? [])
    .filter((o) => o.number !== undefined)
    .map((o) => `${o.number}. ${o.selected ? '✅ ' : ''}${o.label}`);
  return [message.text, lines.join('\n'), message.hint ?? ''].filter(Boolean).join('\n\n').normalize('NFC');
}
