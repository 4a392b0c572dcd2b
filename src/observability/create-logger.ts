import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths that may carry secrets or personal data. Log ids of our own rows, never
 * payloads; this list is the safety net for the mistakes that slip through.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-zevent-signature"]',
  'req.headers.access_token',
  'headers.authorization',
  'headers.access_token',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.secret',
  '*.phone',
  '*.chatId',
  '*.userId',
  '*.dossierCode',
  '*.text',
  'token',
  'phone',
  'chatId',
  'userId',
  'dossierCode',
  'text',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'sipas-chat' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Request logs keep method and route only: query strings may hold tokens.
      serializers: {
        req: (req: { method?: string; routeOptions?: { url?: string }; url?: string }) => ({
          method: req.method,
          route: req.routeOptions?.url ?? req.url?.split('?')[0],
        }),
      },
    },
    destination,
  );
}
