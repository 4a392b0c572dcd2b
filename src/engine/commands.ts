import { foldText, normalizeText } from './normalize-text.js';

/** unknown = an unrecognised slash command (answered with the help text, never recorded as an answer). */
export type Command = 'stop' | 'help' | 'back' | 'skip' | 'start' | 'unknown';

/** Matched accent-insensitively: none of these folds onto a plausible answer. */
const FOLDED: Record<string, Command> = {
  stop: 'stop',
  'dung lai': 'stop',
  'dung khao sat': 'stop',
  'ngung khao sat': 'stop',
  ngung: 'stop',
  thoat: 'stop',
  'huy khao sat': 'stop',
  help: 'help',
  'tro giup': 'help',
  'huong dan': 'help',
  giup: 'help',
  'giup do': 'help',
  '?': 'help',
  back: 'back',
  'quay lai': 'back',
  'tro lai': 'back',
  'quay lai cau truoc': 'back',
  skip: 'skip',
  'bo qua': 'skip',
  'bo qua cau nay': 'skip',
};

/** Matched with diacritics only: "dừng" (stop) folds to "dung", which is also "đúng" (yes). */
const ACCENTED: Record<string, Command> = { dừng: 'stop' };

const SLASH: Record<string, Command> = {
  stop: 'stop',
  dung: 'stop',
  huy: 'stop',
  help: 'help',
  trogiup: 'help',
  huongdan: 'help',
  back: 'back',
  quaylai: 'back',
  skip: 'skip',
  boqua: 'skip',
  start: 'start',
};

/**
 * Recognises a command typed as a whole message ("/stop", "/help@bot", "dừng", "Trợ giúp", "quay lại", "bỏ qua").
 * Only exact whole-message matches: a free-text answer that merely contains these words is an answer.
 */
export function detectCommand(text: string): Command | null {
  const plain = normalizeText(text).toLowerCase();
  const slash = /^\/([a-z]+)(?:@\w+)?(?:\s.*)?$/s.exec(plain);
  if (slash) return SLASH[slash[1]!] ?? 'unknown';
  const accented = plain.replace(/[.!?…\s]+$/u, '');
  if (ACCENTED[accented]) return ACCENTED[accented];
  if (plain === '?') return 'help';
  return FOLDED[foldText(text)] ?? null;
}
