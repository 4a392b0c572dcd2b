import pg from 'pg';
import { Prisma } from './prisma-client.js';

type Query = TemplateStringsArray | Prisma.Sql;

/**
 * What can run raw SQL written as Prisma tagged templates (`${value}` becomes a bound
 * parameter, `Prisma.raw`/`Prisma.join` fragments nest): a Prisma client or transaction,
 * or a {@link SqlTransaction} straight on node-postgres.
 */
export type RawSql = {
  $queryRaw<T = unknown>(query: Query, ...values: unknown[]): PromiseLike<T>;
  $executeRaw(query: Query, ...values: unknown[]): PromiseLike<number>;
};

const toSql = (query: Query, values: unknown[]): Prisma.Sql => (query instanceof Prisma.Sql ? query : Prisma.sql(query, ...(values as Prisma.Sql[])));

/**
 * One transaction on a node-postgres connection. Rows come back as node-postgres types
 * (int8 as string), which the bulk statements that use it never read as numbers.
 */
export class SqlTransaction implements RawSql {
  constructor(private readonly client: pg.PoolClient) {}

  async $queryRaw<T = unknown>(query: Query, ...values: unknown[]): Promise<T> {
    const sql = toSql(query, values);
    return (await this.client.query({ text: sql.text, values: sql.values })).rows as T;
  }

  async $executeRaw(query: Query, ...values: unknown[]): Promise<number> {
    const sql = toSql(query, values);
    return (await this.client.query({ text: sql.text, values: sql.values })).rowCount ?? 0;
  }
}

/**
 * A node-postgres pool for the hot bulk statements — the answers worker's batches and
 * the report's rollup reads: the same SQL as through Prisma, without its per-query
 * interpretation of large parameters and results. Everything else uses Prisma.
 * Outside `transaction`, each statement runs on its own (autocommit).
 */
export class SqlPool implements RawSql {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, max = 10) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max });
    // An idle connection that dies (server restart) must not crash the process; the next checkout reconnects.
    this.pool.on('error', () => undefined);
  }

  async $queryRaw<T = unknown>(query: Query, ...values: unknown[]): Promise<T> {
    const sql = toSql(query, values);
    return (await this.pool.query({ text: sql.text, values: sql.values })).rows as T;
  }

  async $executeRaw(query: Query, ...values: unknown[]): Promise<number> {
    const sql = toSql(query, values);
    return (await this.pool.query({ text: sql.text, values: sql.values })).rowCount ?? 0;
  }

  /** Runs `fn` in BEGIN … COMMIT; rolls back and rethrows on any error. */
  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new SqlTransaction(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}
