import pg from 'pg';
import { migrate } from '../src/db/migrate.js';
import { TEST_DB_PREFIX, TEST_PG_ADMIN_URL, databaseUrl, testTemplateDb } from './support/test-env.js';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
};

async function dropDatabases(filter: (name: string) => boolean): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  try {
    const rows = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'sipas\\_t%'");
    for (const { datname } of rows.rows.filter((r) => filter(r.datname))) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

const runOf = (name: string): number | undefined => {
  const m = new RegExp(`^(?:${TEST_DB_PREFIX}|sipas_tpl_)(\\d+)`).exec(name);
  return m ? Number(m[1]) : undefined;
};

/**
 * Builds a migrated template database for this run; each test file clones it
 * (CREATE DATABASE … TEMPLATE …), so files run in parallel on isolated data. Databases
 * left by runs whose process is gone are dropped; live concurrent runs are left alone.
 */
export default async function setup(): Promise<() => Promise<void>> {
  process.env.SIPAS_TEST_RUN = String(process.pid);
  await dropDatabases((name) => {
    const run = runOf(name);
    return run !== undefined && !isAlive(run);
  });
  await migrate(databaseUrl(testTemplateDb()));
  return async () => {
    await dropDatabases((name) => runOf(name) === process.pid);
  };
}
