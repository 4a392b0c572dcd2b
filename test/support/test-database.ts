import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPrismaClient, type Db } from '../../src/db/prisma-client.js';
import { SqlPool } from '../../src/db/sql-pool.js';
import { TEST_DB_PREFIX, TEST_PG_ADMIN_URL, databaseUrl, testRunId, testTemplateDb } from './test-env.js';

export type TestDatabase = { name: string; url: string; prisma: Db; sql: SqlPool; drop(): Promise<void> };

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh, migrated database cloned from the run's template; `drop()` removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `${TEST_DB_PREFIX}${testRunId()}_${randomBytes(4).toString('hex')}`;
  // Cloning needs the template to have no other connections; retry briefly if one lingers.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${testTemplateDb()}"`));
      break;
    } catch (err) {
      if ((err as { code?: string }).code !== '55006' || attempt >= 20) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const url = databaseUrl(name);
  const prisma = createPrismaClient(url, { max: 5 });
  const sql = new SqlPool(url, 3);
  return {
    name,
    url,
    prisma,
    sql,
    async drop() {
      await prisma.$disconnect();
      await sql.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
