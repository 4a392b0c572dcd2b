import { randomInt } from 'node:crypto';
import type { ZaloConfig } from '../../../src/config/load-config.js';
import { ZaloTokenManager, type ZaloTokenManagerOptions } from '../../../src/channels/zalo/zalo-token-manager.js';
import type { ZaloLogger } from '../../../src/channels/zalo/zalo-logger.js';
import { createFakeZaloServer, type FakeZaloServer } from '../../support/fake-zalo-server.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { createTestRedis, type TestRedis } from '../../support/test-redis.js';

export const APP_ID = '3046245463451262081';
export const APP_SECRET = 'app-secret-for-tests';

/** A fake Zalo plus a config with its own OA id (own token row and lock key) for one test. */
export async function createZaloScenario(db: TestDatabase, redis: TestRedis) {
  const oaId = `57974586350${randomInt(10_000_000, 99_999_999)}`;
  const seed = { accessToken: `at_seed_${oaId}`, refreshToken: `rt_seed_${oaId}` };
  const fake: FakeZaloServer = await createFakeZaloServer({ appId: APP_ID, appSecretKey: APP_SECRET, ...seed });
  const config: ZaloConfig = {
    appId: APP_ID,
    oaId,
    oaSecretKey: 'oa-secret-for-tests',
    appSecretKey: APP_SECRET,
    ...seed,
    openApiBase: fake.url,
    oauthBase: fake.url,
    znsBase: fake.url,
    buttons: false,
    znsTemplateId: '231456',
    znsParams: ['survey_code', 'unit_name'],
    webhookMaxAgeSeconds: 300,
  };
  /** A token manager as one process would build it. */
  const manager = (options: Partial<ZaloTokenManagerOptions> = {}) =>
    new ZaloTokenManager({ db: db.prisma, redis: redis.redis, config, keyPrefix: redis.prefix, ...options });
  return { oaId, seed, fake, config, manager };
}

/** A logger that keeps every line, to prove no secret or personal datum is logged. */
export function captureLogger(): ZaloLogger & { lines: unknown[] } {
  const lines: unknown[] = [];
  const push = (level: string) => (obj: object, msg?: string) => void lines.push({ level, ...obj, msg });
  return { lines, debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

export type ZaloScenarios = { db: TestDatabase; redis: TestRedis; scenario(): Promise<Awaited<ReturnType<typeof createZaloScenario>>> };

/**
 * A test database and Redis prefix for the file, and fresh scenarios on them whose fake
 * servers are closed after each test.
 */
export function useZaloScenarios(): ZaloScenarios {
  const closers: (() => Promise<void>)[] = [];
  const env = {} as ZaloScenarios;
  beforeAll(async () => {
    env.db = await createTestDatabase();
    env.redis = await createTestRedis();
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  afterAll(async () => {
    await env.redis?.close();
    await env.db?.drop();
  });
  env.scenario = async () => {
    const s = await createZaloScenario(env.db, env.redis);
    closers.push(() => s.fake.close());
    return s;
  };
  return env;
}
