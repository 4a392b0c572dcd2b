import type { QuietHours } from '../core/quiet-hours.js';
import { envSchema, type Env } from './env-schema.js';

export type TelegramConfig = { token: string; webhookSecret: string; username: string | undefined; apiRoot: string };
export type ZaloConfig = {
  appId: string;
  oaId: string;
  oaSecretKey: string;
  appSecretKey: string;
  accessToken: string;
  refreshToken: string;
  openApiBase: string;
  oauthBase: string;
  znsBase: string;
  buttons: boolean;
  znsTemplateId: string | undefined;
  znsParams: string[];
  webhookMaxAgeSeconds: number;
};

export type HostPort = { host: string; port: number };

/** Where Redis is: one server (REDIS_URL), a master found through Sentinel, or a Cluster. The URL's password and TLS apply to all. */
export type RedisTopology =
  | { kind: 'single'; url: string }
  | { kind: 'sentinel'; url: string; sentinels: HostPort[]; name: string }
  | { kind: 'cluster'; url: string; nodes: HostPort[] };

export type AppConfig = {
  env: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  redis: RedisTopology;
  /** Production may run on a Redis that can lose writes only when this is set (REDIS_VOLATILE_OK). */
  redisVolatileOk: boolean;
  adminApiKey: string | undefined;
  publicBaseUrl: string;
  /** Undefined when the channel has no credentials: it is disabled. */
  telegram: TelegramConfig | undefined;
  zalo: ZaloConfig | undefined;
  invitationTtlDays: number;
  /** Invitations one API key may create per Vietnam day (0: unlimited). */
  invitationsPerKeyPerDay: number;
  sessionIdleDays: number;
  /** Minutes without a request after which a web-console session ends. */
  consoleSessionIdleMinutes: number;
  reminderDelaysHours: number[];
  /** The one reminder to those who never opened a sent invitation (afterHours 0: off; zns: may be sent as a paid ZNS). */
  unopenedReminder: { afterHours: number; zns: boolean };
  telegramChatIntervalMs: number;
  reportMinCell: number;
  /** The province the reports are about, for their titles (PROVINCE_NAME; null: not set). */
  provinceName: string | null;
  outageRetryMaxMs: number;
  /** Secret of the keyed hashes (one counted response per person; dossiers found again). */
  pseudonymKey: string;
  /** True when no PSEUDONYM_KEY was set and a fixed development key stands in (start-up warns). */
  pseudonymKeyIsDefault: boolean;
  quality: { minSecondsPerAnswer: number; maxPerCreatorDay: number };
  reportPeriod: 'year' | 'quarter' | 'month';
  /** Local window without invitations or reminders (null: none). */
  quietHours: QuietHours | null;
};

/** Development and tests only: production refuses to start without PSEUDONYM_KEY. */
const DEVELOPMENT_PSEUDONYM_KEY = 'sipas-development-pseudonym-key-never-use-in-production';

/** Raised for a bad environment; `message` is one line per variable, never a value. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(problems.map((p) => `${p.variable}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

function hostPorts(list: string): HostPort[] {
  return list.split(',').map((item) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(item.trim())!;
    return { host: m[1]!, port: Number(m[2]) };
  });
}

function redisTopology(e: Env): RedisTopology {
  if (e.REDIS_SENTINELS && e.REDIS_SENTINEL_NAME) return { kind: 'sentinel', url: e.REDIS_URL, sentinels: hostPorts(e.REDIS_SENTINELS), name: e.REDIS_SENTINEL_NAME };
  if (e.REDIS_CLUSTER_NODES) return { kind: 'cluster', url: e.REDIS_URL, nodes: hostPorts(e.REDIS_CLUSTER_NODES) };
  return { kind: 'single', url: e.REDIS_URL };
}

export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(environment)'), message: i.message })),
    );
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    redis: redisTopology(e),
    redisVolatileOk: e.REDIS_VOLATILE_OK,
    adminApiKey: e.ADMIN_API_KEY,
    publicBaseUrl: e.PUBLIC_BASE_URL.replace(/\/+$/, ''),
    telegram:
      e.TELEGRAM_BOT_TOKEN && e.TELEGRAM_WEBHOOK_SECRET
        ? { token: e.TELEGRAM_BOT_TOKEN, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, username: e.TELEGRAM_BOT_USERNAME, apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, '') }
        : undefined,
    zalo:
      e.ZALO_APP_ID && e.ZALO_OA_ID && e.ZALO_OA_SECRET_KEY && e.ZALO_APP_SECRET_KEY && e.ZALO_ACCESS_TOKEN && e.ZALO_REFRESH_TOKEN
        ? {
            appId: e.ZALO_APP_ID,
            oaId: e.ZALO_OA_ID,
            oaSecretKey: e.ZALO_OA_SECRET_KEY,
            appSecretKey: e.ZALO_APP_SECRET_KEY,
            accessToken: e.ZALO_ACCESS_TOKEN,
            refreshToken: e.ZALO_REFRESH_TOKEN,
            openApiBase: e.ZALO_OPENAPI_BASE.replace(/\/+$/, ''),
            oauthBase: e.ZALO_OAUTH_BASE.replace(/\/+$/, ''),
            znsBase: e.ZALO_ZNS_BASE.replace(/\/+$/, ''),
            buttons: e.ZALO_BUTTONS,
            znsTemplateId: e.ZALO_ZNS_TEMPLATE_ID,
            znsParams: e.ZALO_ZNS_PARAMS.split(',').map((s) => s.trim()).filter(Boolean),
            webhookMaxAgeSeconds: e.ZALO_WEBHOOK_MAX_AGE_SECONDS,
          }
        : undefined,
    invitationTtlDays: e.INVITATION_TTL_DAYS,
    invitationsPerKeyPerDay: e.INVITATIONS_PER_KEY_PER_DAY,
    sessionIdleDays: e.SESSION_IDLE_DAYS,
    consoleSessionIdleMinutes: e.CONSOLE_SESSION_IDLE_MINUTES,
    reminderDelaysHours: e.REMINDER_DELAYS_HOURS.split(',').map((h) => Number(h.trim())),
    unopenedReminder: { afterHours: e.UNOPENED_REMINDER_HOURS, zns: e.UNOPENED_REMINDER_ZNS },
    telegramChatIntervalMs: e.TELEGRAM_CHAT_INTERVAL_MS,
    reportMinCell: e.REPORT_MIN_CELL,
    provinceName: e.PROVINCE_NAME ? e.PROVINCE_NAME.normalize('NFC') : null,
    outageRetryMaxMs: e.OUTAGE_RETRY_MAX_MS,
    pseudonymKey: e.PSEUDONYM_KEY ?? DEVELOPMENT_PSEUDONYM_KEY,
    pseudonymKeyIsDefault: !e.PSEUDONYM_KEY,
    quality: { minSecondsPerAnswer: e.QUALITY_MIN_SECONDS_PER_ANSWER, maxPerCreatorDay: e.QUALITY_MAX_PER_CREATOR_DAY },
    reportPeriod: e.REPORT_PERIOD,
    quietHours: e.QUIET_HOURS,
  };
}
