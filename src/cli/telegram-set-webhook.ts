import { Api } from 'grammy';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { parseCli } from './parse-cli.js';

/**
 * `npm run telegram:set-webhook`: registers `${PUBLIC_BASE_URL}/webhooks/telegram` with
 * the secret token and only the update types the survey uses.
 */
export const ALLOWED_UPDATES = ['message', 'callback_query'] as const;

parseCli(`usage: npm run telegram:set-webhook

Registers \${PUBLIC_BASE_URL}/webhooks/telegram with Telegram, with TELEGRAM_WEBHOOK_SECRET
as its secret token and only the update types the survey uses (${ALLOWED_UPDATES.join(', ')}).
Needs TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET and PUBLIC_BASE_URL.`, {});

try {
  const config = loadConfig();
  if (!config.telegram) throw new ConfigError([{ variable: 'TELEGRAM_BOT_TOKEN', message: 'required to register the webhook' }]);
  const api = new Api(config.telegram.token, { apiRoot: config.telegram.apiRoot });
  const url = `${config.publicBaseUrl}/webhooks/telegram`;
  await api.setWebhook(url, { secret_token: config.telegram.webhookSecret, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false, max_connections: 40 });
  const info = await api.getWebhookInfo();
  console.log(`webhook set to ${info.url} (pending updates: ${info.pending_update_count}; allowed: ${ALLOWED_UPDATES.join(', ')})`);
} catch (err) {
  console.error(err instanceof ConfigError ? `Configuration error:\n${err.message}` : `could not set the webhook: ${(err as Error).message}`);
  process.exit(1);
}
