import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Applies Prisma-format migrations (prisma/migrations/<name>/migration.sql) without
 * Prisma's schema engine, recording them in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does, so either tool sees the other's work as applied.
 */

export const DEFAULT_MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../prisma/migrations');

export type MigrationResult = { applied: string[]; alreadyApplied: string[]; createdDatabase: boolean };

export class MigrationError extends Error {
  override name = 'MigrationError';
}

// Same DDL as Prisma's schema engine creates for its bookkeeping table.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it only serialises concurrent runners.
const ADVISORY_LOCK_KEY = 72707369;

type Migration = { name: string; sql: string; checksum: string };

async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      // Prisma's checksum: SHA-256 hex of the file's bytes.
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/** Creates the database named in `databaseUrl` when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const url = new URL(databaseUrl);
  const dbName = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!dbName) throw new MigrationError('DATABASE_URL names no database');
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${dbName.replace(/"/g, '""')}"`);
    } catch (err) {
      // Another runner created it first.
      // 42P04 duplicate_database; 23505 when two CREATEs race in the catalog.
      if (!['42P04', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
      return false;
    }
    return true;
  } finally {
    await client.end();
  }
}

/**
 * Applies every pending migration in name order, each in its own transaction.
 * Safe to run twice and from several processes at once. Refuses to continue when an
 * applied migration's file changed, or an earlier attempt failed half-way.
 */
export async function migrate(databaseUrl: string, dir = DEFAULT_MIGRATIONS_DIR): Promise<MigrationResult> {
  const createdDatabase = await ensureDatabase(databaseUrl);
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  const alreadyApplied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const rows = (
      await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      )
    ).rows.filter((r) => r.rolled_back_at === null);
    const known = new Set(migrations.map((m) => m.name));
    for (const row of rows) {
      if (row.finished_at === null) {
        throw new MigrationError(`migration ${row.migration_name} started but did not finish; fix the database by hand, then mark it rolled back (prisma migrate resolve --rolled-back ${row.migration_name})`);
      }
      if (!known.has(row.migration_name)) {
        throw new MigrationError(`the database has migration ${row.migration_name}, which is not in ${dir}; is this an older checkout?`);
      }
    }
    const done = new Map(rows.map((r) => [r.migration_name, r]));
    for (const m of migrations) {
      const row = done.get(m.name);
      if (row) {
        if (row.checksum !== m.checksum) {
          throw new MigrationError(`migration ${m.name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk); restore the file, and add a new migration for the change`);
        }
        alreadyApplied.push(m.name);
        continue;
      }
      const id = randomUUID();
      await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)', [id, m.checksum, m.name]);
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        // The DDL rolled back with the transaction, so record a clean rollback (as `migrate resolve --rolled-back` would).
        await client.query('UPDATE "_prisma_migrations" SET logs = $2, rolled_back_at = now() WHERE id = $1', [id, String((err as Error).message)]);
        throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      applied.push(m.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return { applied, alreadyApplied, createdDatabase };
}
