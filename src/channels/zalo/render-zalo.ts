import { renderPlainText, type MessageOption, type OutboundMessage } from '../../engine/index.js';
import { splitZaloText } from './split-zalo-text.js';
import { ZALO_VI } from './zalo-texts-vi.js';
import type { ZaloQueryButton } from './zalo-oa-client.js';

/** One CS message to send (the client splits its text into parts of ≤ 2,000 characters). */
export type ZaloOutgoing = { text: string; buttons?: ZaloQueryButton[] };

/**
 * How many buttons one message carries. Zalo does not document the limit for CS
 * messages; answer options come first, and whatever is cut off can still be typed.
 */
export const ZALO_MAX_BUTTONS = 5;

export type RenderZaloOptions = { buttons: boolean };

function buttonTitle(o: MessageOption): string {
  return `${o.selected ? '✅ ' : ''}${o.number ? `${o.number}. ` : ''}${o.label}`;
}

/** Options as `oa.query.hide` buttons: the payload is the option's compact data (decodeCallbackData). */
export function zaloButtons(options: MessageOption[] | undefined): ZaloQueryButton[] | undefined {
  if (!options?.length) return undefined;
  const ordered = [...options.filter((o) => o.role === 'answer'), ...options.filter((o) => o.role === 'control')];
  return ordered.slice(0, ZALO_MAX_BUTTONS).map((o) => ({ title: buttonTitle(o), payload: o.data, type: 'oa.query.hide' }));
}

/**
 * Engine messages → Zalo CS messages (pure). Questions become numbered text plus the
 * typing hint, so typing "1"–"5" always works; with buttons on, the options also come
 * as buttons. Zalo cannot edit or retire a sent keyboard: `close_keyboard` becomes a
 * "Đã chọn: …" line at the top of the next message (no extra API call), which shows how
 * a typed answer was understood and what a hidden-query button press chose.
 */
export function renderZalo(messages: readonly OutboundMessage[], options: RenderZaloOptions): ZaloOutgoing[] {
  const out: ZaloOutgoing[] = [];
  let chosen: string | undefined;
  for (const m of messages) {
    if (m.type === 'close_keyboard') {
      if (m.chosenLabel) chosen = ZALO_VI.chosen(m.chosenLabel);
      continue;
    }
    const body = renderPlainText(m);
    const text = chosen ? `${chosen}\n\n${body}` : body;
    chosen = undefined;
    const buttons = options.buttons ? zaloButtons(m.options) : undefined;
    out.push({ text, ...(buttons ? { buttons } : {}) });
  }
  if (chosen) out.push({ text: chosen });
  return out;
}

/** How many API messages (text parts) an outgoing message takes; the delivery progress counts these. */
export function zaloPartCount(message: ZaloOutgoing): number {
  return splitZaloText(message.text).length;
}
