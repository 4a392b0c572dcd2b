import pg from 'pg';

export const PG_BASE = process.env.BENCH_PG_BASE ?? 'postgresql://postgres@127.0.0.1:5432';
export const dbUrl = (name: string) => `${PG_BASE}/${name}`;

/** Runs `fn` with a client of the maintenance database (`postgres`). */
export async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: dbUrl('postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const ident = (name: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name ${name}`);
  return `"${name}"`;
};

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}

export async function createDatabase(name: string): Promise<void> {
  await withAdmin(async (c) => {
    const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${ident(name)}`);
  });
}

export async function databaseExists(name: string): Promise<boolean> {
  return withAdmin(async (c) => ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0);
}

export async function databaseSize(name: string): Promise<string> {
  return withAdmin(async (c) => (await c.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size($1)) AS s', [name])).rows[0]!.s);
}

export async function serverVersion(): Promise<string> {
  return withAdmin(async (c) => (await c.query<{ v: string }>(`SELECT current_setting('server_version') AS v`)).rows[0]!.v);
}

export async function serverSettings(): Promise<Record<string, string>> {
  return withAdmin(async (c) => {
    const names = ['shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'synchronous_commit', 'max_wal_size', 'effective_cache_size'];
    const r = await c.query<{ name: string; value: string }>('SELECT name, current_setting(name) AS value FROM unnest($1::text[]) AS t(name)', [names]);
    return Object.fromEntries(r.rows.map((row) => [row.name, row.value]));
  });
}
