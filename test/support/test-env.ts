/** Connection settings for tests: their own databases, never the default one. */
export const TEST_PG_ADMIN_URL = process.env.TEST_PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Id of this test run (the pid of the vitest main process, set by the global setup and
 * inherited by workers): several runs on one machine never touch each other's databases.
 */
export const testRunId = (): string => process.env.SIPAS_TEST_RUN ?? String(process.pid);
export const testTemplateDb = (): string => `sipas_tpl_${testRunId()}`;
/** Prefix of every database a run creates; the run id is the first number after it. */
export const TEST_DB_PREFIX = 'sipas_test_';

export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
