import type { RawSql } from '../db/sql-pool.js';

/** Whatever can run raw SQL: a Prisma client or transaction, or the node-postgres pool. */
export type SqlClient = RawSql;
