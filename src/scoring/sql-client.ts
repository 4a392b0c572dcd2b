import type { Prisma } from '../db/prisma-client.js';

/** A Prisma client or an interactive transaction: whatever can run raw SQL. */
export type SqlClient = Prisma.TransactionClient;
