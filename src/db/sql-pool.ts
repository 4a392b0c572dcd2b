import pg from 'pg';
import { Prisma } from './prisma-client.js';

type Query = TemplateStringsArray | Prisma.Sql;

/**
 * What can run raw SQL written as Prisma tagged templates (`${value}` becomes a bound
 * parameter, `Prisma.raw`/`Prisma.join` fragments nest): a Prisma client or transaction,
 * or node-postgres through {@link SqlPool}.
 */
export type RawSql = {
  $queryRaw<T = unknown>(query: Query, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: Query, ...values: unknown[]): PromiseLike<number>;
};

const toSql = (query: Query, values: unknown[]): Prisma.Sql => (query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[])));

/**
 * Raw SQL on a node-postgres pool (each statement on its own) or on one checked-out
 * connection (inside a transaction). Rows come back as node-postgres types (int8 as
 * string), which the bulk statements that use it never read as numbers.
 */
export class PgRawSql implements RawSql {
  constructor(private readonly target: Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>) {}

  private async run(query: Query, values: unknown[]): Promise<pg.QueryResult> {
    const sql = toSql(query, values);
    return this.target.query({ text: sql.text, values: sql.values });
  }

  async $queryRaw<T = unknown>(query: Query, ...values: unknown[]): Promise<T> {
    return (await this.run(query, values)).rows as T;
  }

  async $executeRaw(query: Query, ...values: unknown[]): Promise<number> {
    return (await this.run(query, values)).rowCount ?? 0;
  }
}

/**
 * A node-postgres pool for the hot statements — the answers worker's batches, the
 * report's rollup reads and the invitation lookup of every /start: the same SQL as through Prisma, without its per-query
 * interpretation of large parameters and results. Everything else uses Prisma.
 * `$queryRaw`/`$executeRaw` here run each statement on its own (autocommit).
 */
export class SqlPool extends PgRawSql {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, max = 10) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max });
    super(pool);
    this.pool = pool;
    // An idle connection that dies (server restart) must not crash the process; the next checkout reconnects.
    this.pool.on('error', () => undefined);
  }

  /** Runs `fn` in BEGIN … COMMIT on one connection; rolls back and rethrows on any error. */
  async transaction<T>(fn: (tx: PgRawSql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    // A connection cut between two statements (server restart) would otherwise raise an
    // unhandled 'error' event and end the process; the next statement fails instead.
    const cut = (err: Error) => (broken = err);
    client.on('error', cut);
    try {
      await client.query('BEGIN');
      const result = await fn(new PgRawSql(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.removeListener('error', cut);
      client.release(broken);
    }
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
