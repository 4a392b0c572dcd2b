import type { AppConfig } from '../config/load-config.js';

export type InvitationLinks = { telegram?: string; zalo?: string };

/**
 * Where a citizen starts the survey: the Telegram deep link carries the token; Zalo
 * cannot carry a payload into the OA chat, so its link opens the chat and the citizen
 * sends the short code.
 */
export function invitationLinks(config: AppConfig, token: string): InvitationLinks {
  const links: InvitationLinks = {};
  if (config.telegram?.username) links.telegram = `https://t.me/${config.telegram.username}?start=${token}`;
  if (config.zalo) links.zalo = `https://zalo.me/${config.zalo.oaId}`;
  return links;
}
