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

/** The payload that starts an open survey for one unit (the counter's QR code): `u_<unitCode>`. */
export const openSurveyPayload = (unitCode: string) => `u_${unitCode}`;

/**
 * Where a citizen at a unit's counter starts an open survey: Telegram's deep link carries
 * the unit; on Zalo the OA's link opens the chat and `/start u_<unitCode>` names the unit.
 */
export function openSurveyLinks(config: AppConfig, unitCode: string): InvitationLinks & { zaloStart: string } {
  const links: InvitationLinks & { zaloStart: string } = { zaloStart: `/start ${openSurveyPayload(unitCode)}` };
  if (config.telegram?.username) links.telegram = `https://t.me/${config.telegram.username}?start=${openSurveyPayload(unitCode)}`;
  if (config.zalo) links.zalo = `https://zalo.me/${config.zalo.oaId}`;
  return links;
}
