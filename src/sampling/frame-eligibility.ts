import type { FrameRowInput } from './frame-row-schema.js';

export type Channel = 'telegram' | 'zalo';
export type Rejection = { code: string; reason: string };

/** What a round and this deployment accept of a frame row. */
export type EligibilityRules = {
  eligibleFrom: string | null;
  eligibleTo: string | null;
  today: string;
  /** Unit codes of the round's quotas that the uploader may use. */
  units: ReadonlySet<string>;
  channels: { telegram: boolean; zalo: boolean; zns: boolean };
};

/** The channel a row can be reached on: its named one, else a chat id, a Zalo id, then a phone (ZNS). */
function channelOf(row: FrameRowInput, c: EligibilityRules['channels']): Channel | Rejection {
  const telegram = Boolean(row.telegramChatId) && c.telegram;
  const zalo = (Boolean(row.zaloUserId) && c.zalo) || (Boolean(row.phone) && c.zns);
  if (row.channel === 'telegram') return telegram ? 'telegram' : { code: 'unreachable', reason: 'Telegram needs a chat id (a bot cannot reach a phone number), and the Telegram channel must be configured' };
  if (row.channel === 'zalo') return zalo ? 'zalo' : { code: 'unreachable', reason: 'Zalo needs a Zalo user id, or a phone with ZNS configured' };
  if (telegram) return 'telegram';
  if (zalo) return 'zalo';
  return { code: 'unreachable', reason: 'no reachable channel: give a Telegram chat id, a Zalo user id, or a phone number (Zalo ZNS must be configured for phones)' };
}

/** The row's channel, or why it is not eligible (completion outside the window, unit not in the round, no reachable channel). */
export function eligibility(row: FrameRowInput, rules: EligibilityRules): Channel | Rejection {
  if (!rules.units.has(row.unitCode)) return { code: 'unit_not_in_round', reason: `unit "${row.unitCode}" has no quota in this round (or is not yours)` };
  if (row.completedOn > rules.today) return { code: 'completed_in_future', reason: `completion date ${row.completedOn} is in the future` };
  if (rules.eligibleFrom && row.completedOn < rules.eligibleFrom) return { code: 'outside_window', reason: `completed on ${row.completedOn}, before the eligibility window (from ${rules.eligibleFrom})` };
  if (rules.eligibleTo && row.completedOn > rules.eligibleTo) return { code: 'outside_window', reason: `completed on ${row.completedOn}, after the eligibility window (to ${rules.eligibleTo})` };
  return channelOf(row, rules.channels);
}
