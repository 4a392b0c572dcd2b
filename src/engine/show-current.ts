import { VI } from './messages-vi.js';
import { renderPrompt } from './render-prompt.js';
import type { Turn } from './turn.js';

/** Re-shows what the active session waits for, after `lead` (resume, reminders, help). */
export function showCurrent(turn: Turn, lead: string, activity = true): void {
  const def = turn.definition();
  const prompt = def && renderPrompt(def, turn.s, { lead });
  turn.change(activity);
  turn.send(prompt ?? { type: 'text', text: `${lead}\n\n${VI.unavailable}` });
}
