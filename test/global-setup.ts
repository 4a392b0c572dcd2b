import pg from 'pg';
import { migrate } from '../src/db/migrate.js';
import { TEST_PG_ADMIN_URL, TEST_TEMPLATE_DB, databaseUrl } from './support/test-env.js';

/**
 * Builds a migrated template database once per run; each test file clones it
 * (CREATE DATABASE … TEMPLATE …), so files run in parallel on isolated data.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    // Leftovers of an interrupted run.
    const stale = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sipas_test_%'");
    for (const { datname } of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    await admin.query(`DROP DATABASE IF EXISTS "${TEST_TEMPLATE_DB}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  await migrate(databaseUrl(TEST_TEMPLATE_DB));
  return async () => {
    const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await c.connect();
    try {
      const left = await c.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sipas_test_%'");
      for (const { datname } of left.rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await c.end();
    }
  };
}
