
/** How a bot message looks in the terminal: text, then numbered options like Zalo's. */
export function renderTerminal(m: OutboundMessage): string {
  if (m.type === 'close_keyboard') return m.chosenLabel ? `  (đã chọn: ${m.chosenLabel})` : '';
  const lines = [m.text];
  for (const o of m.options ?? []) lines.push(`  ${o.number ? `[${o.number}]` : '[-]'} ${o.label}${o.selected ? ' ✓' : ''}`);
  if (m.hint) lines.push(`  » ${m.hint}`);
  return lines.join('\n');
}

/** What the auto-pilot types for a prompt: a plausible answer, so a demo runs to the end. */
export function autoAnswer(m: OutboundMessage | undefined, turn: number): string {
  if (!m || m.type !== 'text') return '/start';
  const numbered = (m.options ?? []).filter((o) => o.role === 'answer' && o.number);
  if (m.questionCode === '@consent') return '1';
  if (numbered.some((o) => o.number === '5')) return String(3 + (turn % 3));
  if (numbered.length) return numbered[0]!.number!;
  if ((m.options ?? []).some((o) => o.data.endsWith(':skip'))) return 'bỏ qua';
  return 'Thủ tục nhanh gọn, cán bộ nhiệt tình.';
}import { type OutboundMessage } from '../../engine/index.js';

