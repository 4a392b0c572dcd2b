import { type OutboundMessage } from '../../engine/index.js';
import { weightedPick } from '../../core/seeded-random.js';

/** How a bot message looks in the terminal: text, then numbered options like Zalo's. */
export function renderTerminal(m: OutboundMessage): string {
  if (m.type === 'close_keyboard') return m.chosenLabel ? `  (đã chọn: ${m.chosenLabel})` : '';
  const lines = [m.text];
  for (const o of m.options ?? []) lines.push(`  ${o.number ? `[${o.number}]` : '[-]'} ${o.label}${o.selected ? ' ✓' : ''}`);
  if (m.hint) lines.push(`  » ${m.hint}`);
  return lines.join('\n');
}

/** Likert levels 1–5 as citizens tend to give them (mostly satisfied, some not): varied, not a pattern. */
const LIKERT_WEIGHTS = [0.05, 0.1, 0.2, 0.4, 0.25];
const REMARKS = ['Thủ tục nhanh gọn, cán bộ nhiệt tình.', 'Cần rút ngắn thời gian chờ.', 'Nên bổ sung hướng dẫn trực tuyến.', 'Không có ý kiến thêm.', 'Phí và lệ phí cần niêm yết rõ hơn.'];

/**
 * What the auto-pilot types for a prompt: a plausible answer drawn from `random` (seeded by
 * the caller, so a run can be repeated), so a demo runs to the end with varied answers.
 */
export function autoAnswer(m: OutboundMessage | undefined, random: () => number): string {
  if (!m || m.type !== 'text') return '/start';
  const numbered = (m.options ?? []).filter((o) => o.role === 'answer' && o.number);
  if (m.questionCode === '@consent') return '1';
  const likert = ['1', '2', '3', '4', '5'].map((n) => numbered.find((o) => o.number === n));
  if (likert.every(Boolean)) return weightedPick(random, likert, LIKERT_WEIGHTS)!.number!;
  if (numbered.length) return numbered[Math.floor(random() * numbered.length)]!.number!;
  if ((m.options ?? []).some((o) => o.data.endsWith(':skip')) && random() < 0.5) return 'bỏ qua';
  return REMARKS[Math.floor(random() * REMARKS.length)]!;
}
