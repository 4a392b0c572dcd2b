import { z } from 'zod';
import { parseQuietHours } from '../core/quiet-hours.js';

/**
 * The process environment (design brief section 4), validated once at start.
 * Deep modules never read `process.env`; they receive the parsed `AppConfig`.
 */

const url = (protocols: string[], what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, `expected ${what}`);

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/** "host:port,host:port" (IPv6 hosts in brackets). */
const hostPorts = z
  .string()
  .trim()
  .regex(/^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}(?:\s*,\s*(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5})*$/, 'expected host:port[,host:port…]');

const telegramSecret = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, 'expected 1–256 characters of A-Z, a-z, 0-9, "_" and "-"');

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    DATABASE_URL: url(['postgresql:', 'postgres:'], 'a postgresql:// URL, e.g. postgresql://postgres@127.0.0.1:5432/sipas_chat').default(
      'postgresql://postgres@127.0.0.1:5432/sipas_chat',
    ),
    REDIS_URL: url(['redis:', 'rediss:'], 'a redis:// URL, e.g. redis://127.0.0.1:6379').default('redis://127.0.0.1:6379'),
    /** Prefix of every Redis key and BullMQ queue; hash-tagged so Redis Cluster keeps them in one slot. */
    REDIS_PREFIX: z
      .string()
      .regex(/^\{[A-Za-z0-9:_-]+\}[A-Za-z0-9:_-]*$/, 'expected a hash-tagged prefix such as {sipas} (every key must share one Redis Cluster slot)')
      .default('{sipas}'),
    /** Redis Sentinel: comma-separated host:port of the sentinels, with the monitored master's name. */
    REDIS_SENTINELS: optional(hostPorts),
    REDIS_SENTINEL_NAME: optional(z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected the master name the sentinels monitor')),
    /** Redis Cluster: comma-separated host:port of some of its nodes (the rest are discovered). */
    REDIS_CLUSTER_NODES: optional(hostPorts),
    /** Allow a Redis without AOF persistence or with an evicting maxmemory-policy in production (answers in flight can then be lost). */
    REDIS_VOLATILE_OK: z.stringbool().default(false),
    ADMIN_API_KEY: optional(z.string().min(16, 'expected at least 16 characters')),
    PUBLIC_BASE_URL: url(['http:', 'https:'], 'an http(s):// URL').default('http://localhost:3000'),

    TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, 'expected a bot token like 123456:ABC-DEF')),
    TELEGRAM_WEBHOOK_SECRET: optional(telegramSecret),
    TELEGRAM_BOT_USERNAME: optional(z.string().regex(/^[A-Za-z0-9_]{5,32}$/, 'expected the bot username without "@"')),
    /** Least time between two of our messages to one chat (Telegram: about one per second). */
    TELEGRAM_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    TELEGRAM_API_ROOT: url(['http:', 'https:'], 'an http(s):// URL').default('https://api.telegram.org'),

    ZALO_APP_ID: optional(z.string().regex(/^\d+$/, 'expected a numeric id')),
    ZALO_OA_ID: optional(z.string().regex(/^\d+$/, 'expected a numeric id')),
    ZALO_OA_SECRET_KEY: optional(z.string().min(1)),
    ZALO_APP_SECRET_KEY: optional(z.string().min(1)),
    ZALO_ACCESS_TOKEN: optional(z.string().min(1)),
    ZALO_REFRESH_TOKEN: optional(z.string().min(1)),
    ZALO_OPENAPI_BASE: url(['http:', 'https:'], 'an http(s):// URL').default('https://openapi.zalo.me'),
    ZALO_OAUTH_BASE: url(['http:', 'https:'], 'an http(s):// URL').default('https://oauth.zaloapp.com'),
    ZALO_ZNS_BASE: url(['http:', 'https:'], 'an http(s):// URL').default('https://business.openapi.zalo.me'),
    ZALO_BUTTONS: z.stringbool().default(false),
    ZALO_ZNS_TEMPLATE_ID: optional(z.string().min(1)),
    /** Comma-separated template parameter names: the survey code, then the unit name. */
    ZALO_ZNS_PARAMS: z.string().default('survey_code,unit_name'),
    ZALO_WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().positive().default(300),

    INVITATION_TTL_DAYS: z.coerce.number().int().positive().default(30),
    /** Invitations one API key may create per Asia/Ho_Chi_Minh day, ZNS included (0: unlimited); the bootstrap admin key is not counted. */
    INVITATIONS_PER_KEY_PER_DAY: z.coerce.number().int().min(0).default(5000),
    SESSION_IDLE_DAYS: z.coerce.number().int().positive().default(30),
    /** A web-console session ends after this many minutes without a request. */
    CONSOLE_SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
    REMINDER_DELAYS_HOURS: z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'expected comma-separated hours, e.g. 24,72')
      .default('24,72'),
    /** One reminder to a citizen who has not opened a sent invitation after this many hours; 0 disables it. */
    UNOPENED_REMINDER_HOURS: z.coerce.number().int().min(0).max(24 * 60).default(48),
    /** Whether that reminder may go by ZNS (each ZNS message is paid); CS and Telegram reminders are free. */
    UNOPENED_REMINDER_ZNS: z.stringbool().default(false),
    REPORT_MIN_CELL: z.coerce.number().int().min(1).default(5),
    /** The province the reports are about, for their titles (e.g. "tỉnh Quảng Nam"). */
    PROVINCE_NAME: optional(z.string().trim().min(1).max(200)),
    /** Nothing is sent on our own initiative (invitations, reminders) in this local window; "off" disables it. */
    QUIET_HOURS: z
      .string()
      .default('21:00-07:00')
      .transform((text, ctx) => {
        try {
          return parseQuietHours(text);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    /**
     * Secret of the keyed hashes that count one response per person, unit and period and
     * find a dossier again without keeping its code: at least 32 characters, the same for
     * every process, never changed (a new key forgets who has answered). Required in production.
     */
    PSEUDONYM_KEY: optional(z.string().min(32, 'expected at least 32 characters (e.g. openssl rand -base64 48)')),
    /** A completion faster than this many seconds per answered question is flagged. */
    QUALITY_MIN_SECONDS_PER_ANSWER: z.coerce.number().min(0).max(60).default(2),
    /** An invitation creator with more completed responses for one unit in one day than this has them flagged. */
    QUALITY_MAX_PER_CREATOR_DAY: z.coerce.number().int().min(1).default(50),
    /**
     * The one kind of period viewers' reports and microdata exports cover: whole periods
     * that have ended, which never overlap, so no two can be subtracted (admins' reports may
     * cover any range).
     */
    REPORT_PERIOD: z.enum(['year', 'quarter', 'month']).default('quarter'),
    /** Longest wait between two tries of a job that failed only because PostgreSQL or Redis was down. */
    OUTAGE_RETRY_MAX_MS: z.coerce.number().int().min(10).max(600_000).default(30_000),
  })
  .superRefine((env, ctx) => {
    if (env.TELEGRAM_BOT_TOKEN && !env.TELEGRAM_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'required when TELEGRAM_BOT_TOKEN is set (1–256 characters of A-Z, a-z, 0-9, "_" and "-")' });
    }
    if (env.NODE_ENV === 'production' && !env.PSEUDONYM_KEY) {
      ctx.addIssue({ code: 'custom', path: ['PSEUDONYM_KEY'], message: 'required in production: at least 32 random characters, the same for every process (e.g. openssl rand -base64 48)' });
    }
    if (env.REDIS_SENTINELS && !env.REDIS_SENTINEL_NAME) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_SENTINEL_NAME'], message: 'required with REDIS_SENTINELS: the name of the master the sentinels monitor' });
    }
    if (env.REDIS_SENTINELS && env.REDIS_CLUSTER_NODES) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: 'set either REDIS_SENTINELS or REDIS_CLUSTER_NODES, not both' });
    }
    const zalo = ['ZALO_APP_ID', 'ZALO_OA_ID', 'ZALO_OA_SECRET_KEY', 'ZALO_APP_SECRET_KEY', 'ZALO_ACCESS_TOKEN', 'ZALO_REFRESH_TOKEN'] as const;
    const given = zalo.filter((k) => env[k]);
    if (given.length > 0 && given.length < zalo.length) {
      for (const k of zalo.filter((k) => !env[k])) {
        ctx.addIssue({ code: 'custom', path: [k], message: `required when any ZALO_* credential is set (set all of ${zalo.join(', ')})` });
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

/** Variables whose values are never printed. */
export const SECRET_ENV_KEYS = [
  'ADMIN_API_KEY',
  'TELEGRAM_BOT_TOKEN',
  'TELEGRAM_WEBHOOK_SECRET',
  'ZALO_OA_SECRET_KEY',
  'ZALO_APP_SECRET_KEY',
  'ZALO_ACCESS_TOKEN',
  'ZALO_REFRESH_TOKEN',
  'PSEUDONYM_KEY',
] as const;
