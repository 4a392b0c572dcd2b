import { mkdtemp, cp, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import { TEST_PG_ADMIN_URL, databaseUrl, testRunId } from '../support/test-env.js';

const name = `sipas_test_${testRunId()}_migrate`;
const url = databaseUrl(name);

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

afterAll(async () => {
  const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
});

describe('migration runner', () => {
  it('creates the database, applies every migration, and is a no-op the second time', async () => {
    const first = await migrate(url);
    expect(first.createdDatabase).toBe(true);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await migrate(url);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied, createdDatabase: false });

    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count, rolled_back_at FROM "_prisma_migrations"',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).toBeInstanceOf(Date);
      expect(r.applied_steps_count).toBe(1);
      expect(r.rolled_back_at).toBeNull();
    }
  });

  it('runs safely from several processes at once', async () => {
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    for (const r of results) expect(r.applied).toEqual([]);
  });

  it('refuses to continue when an applied migration changed on disk', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const [first] = (await migrate(url)).alreadyApplied;
    await appendFile(path.join(dir, first!, 'migration.sql'), '\n-- edited\n');
    await expect(migrate(url, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it('records a failed migration as rolled back and reports it', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'migrations-'));
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(path.join(dir, '29990101000000_broken'));
    await writeFile(path.join(dir, '29990101000000_broken', 'migration.sql'), 'CREATE TABLE "ok_table" (id int);\nSELECT nope FROM missing_table;');
    await expect(migrate(url, dir)).rejects.toThrow(/29990101000000_broken failed/);
    const tables = await query("SELECT 1 FROM information_schema.tables WHERE table_name = 'ok_table'");
    expect(tables).toHaveLength(0);
    const rows = await query<{ rolled_back_at: Date | null }>(`SELECT rolled_back_at FROM "_prisma_migrations" WHERE migration_name = '29990101000000_broken'`);
    expect(rows[0]?.rolled_back_at).toBeInstanceOf(Date);
  });
});
