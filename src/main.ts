import { ConfigError, loadConfig, type AppConfig } from './config/load-config.js';
import { createLogger } from './observability/create-logger.js';
import { firstLine } from './core/first-line.js';
import { START_HINTS, checkPostgres, connectRedisOnce, describeRedis, describeUrl } from './runtime/check-services.js';
import { durabilityFix, durabilityProblems, readRedisPersistence } from './runtime/redis-durability.js';
import type { Logger } from './observability/create-logger.js';
import { parseStartFlags } from './runtime/parse-start-flags.js';
import { prepareDatabase } from './runtime/prepare-database.js';
import { startApp } from './runtime/start-app.js';

function fail(lines: string[]): never {
  process.stderr.write(lines.join('\n') + '\n');
  process.exit(1);
}

function readConfig(): AppConfig {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(['Configuration error — fix these environment variables and start again:', ...err.message.split('\n').map((l) => `  ${l}`)]);
    throw err;
  }
}

/**
 * Answers wait in Redis until a worker commits them: in production Redis must keep them
 * (AOF, no eviction) or the product refuses to start, unless REDIS_VOLATILE_OK says the
 * risk is deliberate. Elsewhere (development, tests) the same finding is a warning.
 */
async function requireDurableRedis(config: AppConfig, logger: Logger, settings: Awaited<ReturnType<typeof readRedisPersistence>>): Promise<void> {
  const problems = durabilityProblems(settings);
  if (problems.length === 0) return;
  if (config.env === 'production' && !config.redisVolatileOk) {
    fail(['Refusing to start: Redis can lose the answers it holds —', ...problems.map((p) => `  ${p}`), 'Fix it:', `  ${durabilityFix()}`]);
  }
  logger.warn({ problems, deliberate: config.redisVolatileOk }, config.redisVolatileOk ? 'Redis can lose queued answers; running anyway because REDIS_VOLATILE_OK=true' : 'Redis can lose queued answers (in production this refuses to start)');
}

async function main(): Promise<void> {
  let flags: { web: boolean; worker: boolean };
  try {
    flags = parseStartFlags(process.argv.slice(2));
  } catch (err) {
    fail([(err as Error).message]);
  }
  const config = readConfig();
  const logger = createLogger(config.logLevel);

  const [pgError, redis] = await Promise.all([checkPostgres(config.databaseUrl), connectRedisOnce(config.redis).catch((err: unknown) => firstLine(err))]);
  const problems: string[] = [];
  if (pgError) problems.push(`Cannot reach PostgreSQL at ${describeUrl(config.databaseUrl)} (DATABASE_URL): ${pgError}`, `  ${START_HINTS.postgres}`);
  if (typeof redis === 'string') problems.push(`Cannot reach Redis at ${describeRedis(config.redis)}: ${redis}`, `  ${START_HINTS.redis}`);
  if (problems.length) {
    if (typeof redis !== 'string') redis.disconnect();
    fail(problems);
  }
  if (typeof redis !== 'string') {
    try {
      await requireDurableRedis(config, logger, await readRedisPersistence(redis));
    } finally {
      redis.disconnect();
    }
  }

  await prepareDatabase(config, logger);
  if (config.pseudonymKeyIsDefault) logger.warn('PSEUDONYM_KEY is not set: a fixed development key stands in (production refuses to start without one)');

  if (!config.telegram) logger.info('telegram channel disabled: TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET are not set');
  if (!config.zalo) logger.info('zalo channel disabled: the ZALO_* credentials are not set');
  if (!config.adminApiKey) logger.warn('ADMIN_API_KEY is not set: only keys created with `npm run apikey` can use /api/v1');

  const running = await startApp(config, { ...flags, logger });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    running.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err: (err as Error).message }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Failed to start: ${(err as Error).message}\n`);
  process.exit(1);
});
