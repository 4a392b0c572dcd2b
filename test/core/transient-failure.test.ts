import pg from 'pg';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { transientDependency } from '../../src/core/transient-failure.js';
import { createPrismaClient } from '../../src/db/prisma-client.js';
import { EpisodeLog } from '../../src/observability/episode-log.js';
import { freePort } from '../support/spawn-script.js';
import { createTestDatabase } from '../support/test-database.js';

// Real errors, as the drivers raise them: an outage is transient (retried, 503), the work's own errors are not.
describe('transientDependency', () => {
  it('says PostgreSQL for a refused connection, through node-postgres and through Prisma', async () => {
    const port = await freePort();
    const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/x`, connectionTimeoutMillis: 2000 });
    expect(transientDependency(await client.connect().catch((e: unknown) => e))).toBe('postgres');
    const prisma = createPrismaClient(`postgresql://postgres@127.0.0.1:${port}/x`, { max: 1 });
    try {
      expect(transientDependency(await prisma.$queryRaw`SELECT 1`.catch((e: unknown) => e))).toBe('postgres');
    } finally {
      await prisma.$disconnect();
    }
  });

  it('says Redis when a command cannot reach it', async () => {
    const redis = new Redis({ port: await freePort(), lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    redis.on('error', () => undefined);
    try {
      expect(transientDependency(await redis.get('k').catch((e: unknown) => e))).toBe('redis');
    } finally {
      redis.disconnect();
    }
  });

  it('is not fooled by errors of the work itself', async () => {
    const t = await createTestDatabase();
    try {
      await t.prisma.$executeRaw`CREATE TABLE t (id int PRIMARY KEY)`;
      await t.prisma.$executeRaw`INSERT INTO t VALUES (1)`;
      expect(transientDependency(await t.prisma.$executeRaw`INSERT INTO t VALUES (1)`.catch((e: unknown) => e))).toBeUndefined();
      expect(transientDependency(await t.sql.$queryRaw`SELECT 1/0`.catch((e: unknown) => e))).toBeUndefined();
    } finally {
      await t.drop();
    }
    expect(transientDependency(z.object({ a: z.string() }).safeParse({}).error)).toBeUndefined();
    expect(transientDependency(new Error('questionnaire sipas-2017@99 is not stored'))).toBeUndefined();
  });

  it('finds an outage inside an AggregateError or a cause', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(transientDependency(new AggregateError([new Error('x'), refused], '2 failed'))).toBe('postgres');
    expect(transientDependency(new Error('wrapped', { cause: Object.assign(new Error('the database system is starting up'), { code: '57P03' }) }))).toBe('postgres');
  });
});

describe('EpisodeLog', () => {
  it('logs the first of a run of repeats, then again after a quiet gap with the count', () => {
    const lines: { fields: Record<string, unknown>; msg: string }[] = [];
    const logger = { warn: (fields: Record<string, unknown>, msg: string) => lines.push({ fields, msg }), error: () => undefined } as never;
    let now = 0;
    const log = new EpisodeLog(logger, 1000, () => now);
    for (; now < 5000; now += 100) log.report('pg', 'warn', {}, 'down');
    expect(lines).toHaveLength(1);
    now += 2000;
    log.report('pg', 'warn', {}, 'down');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.fields).toMatchObject({ repeatsInLastEpisode: 49 });
    log.report('redis', 'warn', {}, 'down');
    expect(lines).toHaveLength(3);
  });
});
