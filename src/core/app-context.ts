import type { RedisClient } from '../queues/redis-connection.js';
import type { AppConfig } from '../config/load-config.js';
import type { Db } from '../db/prisma-client.js';
import type { SqlPool } from '../db/sql-pool.js';
import type { Logger } from '../observability/create-logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { QuestionnaireCatalog } from '../questionnaire/questionnaire-catalog.js';
import type { JobQueues } from '../queues/job-queues.js';
import type { Clock } from './clock.js';

/** A named readiness probe; `detail` is shown on /readyz (never a secret). */
export type ReadinessCheck = { name: string; check(): Promise<{ ok: boolean; detail?: string }> };

/** Everything a request handler or worker needs, built once at start and passed down. */
export type AppContext = {
  config: AppConfig;
  db: Db;
  /** node-postgres for the bulk paths: the answers worker's batches and the report's rollup reads (connects on first use). */
  sql: SqlPool;
  redis: RedisClient;
  queues: JobQueues;
  logger: Logger;
  metrics: Metrics;
  /** The one gateway to stored questionnaires (cached per process). */
  catalog: QuestionnaireCatalog;
  readiness: ReadinessCheck[];
  /** Injected clock so tests and the engine share one notion of "now". */
  now: Clock;
};
