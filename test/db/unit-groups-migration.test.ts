import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../../src/db/migrate.js';
import { TEST_PG_ADMIN_URL, databaseUrl, testRunId } from '../support/test-env.js';

const MIGRATION = '20261206100000_unit_groups';
const name = `sipas_test_${testRunId()}_unit_groups_migration`;
const url = databaseUrl(name);
let before = '';

afterAll(async () => {
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
  if (before) await rm(before, { recursive: true, force: true });
});

describe(`migration ${MIGRATION}`, () => {
  it('turns every free-text group in use into a group row (label = code, alphabetical order) that units then reference', async () => {
    // The database as it was before: every earlier migration, and units with free-text groups.
    before = await mkdtemp(path.join(os.tmpdir(), 'migrations-before-groups-'));
    for (const entry of await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name < MIGRATION) await cp(path.join(DEFAULT_MIGRATIONS_DIR, entry.name), path.join(before, entry.name), { recursive: true });
    }
    await migrate(url, before);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`INSERT INTO units (code, name, "group", updated_at) VALUES
        ('X1', 'UBND xã Một', 'xa', now()), ('X2', 'UBND xã Hai', 'xa', now()),
        ('S1', 'Sở Tư pháp', 'Sở, ban, ngành', now()), ('H1', 'UBND huyện Một', 'huyen', now())`);

      expect((await migrate(url)).applied).toContain(MIGRATION);
      const groups = await c.query('SELECT code, label, "order", rank_separately FROM unit_groups ORDER BY "order"');
      expect(groups.rows).toEqual([
        { code: 'huyen', label: 'huyen', order: 1, rank_separately: false },
        { code: 'Sở, ban, ngành', label: 'Sở, ban, ngành', order: 2, rank_separately: false },
        { code: 'xa', label: 'xa', order: 3, rank_separately: false },
      ]);

      // Units reference their group: renaming a code follows into the units, deleting a group in use is refused.
      await c.query(`UPDATE unit_groups SET code = 'so' WHERE code = 'Sở, ban, ngành'`);
      expect((await c.query(`SELECT "group" FROM units WHERE code = 'S1'`)).rows).toEqual([{ group: 'so' }]);
      await expect(c.query(`DELETE FROM unit_groups WHERE code = 'xa'`)).rejects.toThrow(/foreign key/);
      // A unit written with a group that has no row yet gets one, after the last.
      await c.query(`INSERT INTO units (code, name, "group", updated_at) VALUES ('C1', 'Chi nhánh một', 'chi-nhanh', now())`);
      expect((await c.query(`SELECT label, "order" FROM unit_groups WHERE code = 'chi-nhanh'`)).rows).toEqual([{ label: 'chi-nhanh', order: 4 }]);
    } finally {
      await c.end();
    }
  });
});
