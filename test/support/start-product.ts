import { loadConfig, type AppConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/observability/create-logger.js';
import { loadBuiltinQuestionnaires } from '../../src/questionnaire/builtin-questionnaires.js';
import { seedQuestionnaires } from '../../src/questionnaire/questionnaire-catalog.js';
import { startApp, type RunningApp } from '../../src/runtime/start-app.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { createTestRedis, type TestRedis } from './test-redis.js';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789';
export const TEST_TG_TOKEN = '123456:TEST-token_abc';
export const TEST_TG_SECRET = 'test_webhook_secret';

export type Product = RunningApp & { db: TestDatabase; redis: TestRedis; config: AppConfig; stop(): Promise<void> };

/**
 * The whole product in-process against a fresh database and a private Redis prefix:
 * web (not listening; use app.inject) and workers, with the given extra environment
 * (e.g. TELEGRAM_API_ROOT of a fake Bot API).
 */
export async function startProduct(env: Record<string, string> = {}, opts: { web?: boolean; worker?: boolean; now?: () => Date; logLines?: string[] } = {}): Promise<Product> {
  const db = await createTestDatabase();
  const redis = await createTestRedis();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    REDIS_PREFIX: redis.prefix,
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    TELEGRAM_BOT_TOKEN: TEST_TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TEST_TG_SECRET,
    TELEGRAM_BOT_USERNAME: 'sipas_test_bot',
    PUBLIC_BASE_URL: 'http://127.0.0.1',
    // Whole surveys in seconds rather than a minute; the lanes tests set Telegram's real 1 s.
    TELEGRAM_CHAT_INTERVAL_MS: '50',
    // Tests run at any hour; the quiet-hours tests set the window and move the clock.
    QUIET_HOURS: 'off',
    ...env,
  });
  await seedQuestionnaires(db.prisma, loadBuiltinQuestionnaires());
  const running = await startApp(config, { web: opts.web ?? true, worker: opts.worker ?? true, listen: false, ...(opts.now ? { now: opts.now } : {}), logger: createLogger(opts.logLines ? 'trace' : config.logLevel, opts.logLines ? { write: (line: string) => void opts.logLines!.push(line) } : undefined) });
  return {
    ...running,
    db,
    redis,
    config,
    async stop() {
      await running.close();
      await redis.close();
      await db.drop();
    },
  };
}

export const adminHeaders = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
