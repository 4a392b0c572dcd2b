/**
 * Whether an error says a dependency (PostgreSQL, Redis, the network) is down or busy
 * for now, rather than that the work itself is wrong: such work is retried, never
 * counted as a failure, and a request meeting it is answered 503 with Retry-After.
 */

/** SQLSTATE classes and codes of a database that cannot serve right now. */
const PG_TRANSIENT_CODES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now ("the database system is starting up")
  '53300', // too_many_connections
  '53400', // configuration_limit_exceeded
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
]);
const PG_TRANSIENT_CLASSES = ['08']; // connection_exception
/** Prisma's codes for an unreachable database, a timeout, a closed connection or a full pool. */
const PRISMA_TRANSIENT_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1011', 'P1017', 'P2024', 'P2034']);
const NODE_TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED']);
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /terminating connection/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
  /can'?t reach database server/i,
  /timeout exceeded when trying to connect/i,
  /connection (is )?closed/i,
  /Connection is closed/,
  /Stream isn't writeable/i,
  /MaxRetriesPerRequestError|Reached the max retries per request limit/i,
  /CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY/,
  /Operation has timed out|timed out fetching a new connection/i,
];

/** The dependency a transient error is about, for messages and episode logs. */
export type Dependency = 'postgres' | 'redis' | 'network';

function codeOf(err: object): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function ownCauses(err: unknown): unknown[] {
  if (!err || typeof err !== 'object') return [];
  const out: unknown[] = [];
  if ('cause' in err) out.push((err as { cause: unknown }).cause);
  if (err instanceof AggregateError) out.push(...err.errors);
  return out;
}

/** Classifies one error (following `cause` and AggregateError members); undefined when not transient. */
export function transientDependency(err: unknown, depth = 0): Dependency | undefined {
  if (!err || typeof err !== 'object' || depth > 5) return undefined;
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : '';
  const name = err instanceof Error ? err.name : '';
  if (code && (PG_TRANSIENT_CODES.has(code) || PG_TRANSIENT_CLASSES.some((c) => code.startsWith(c) && code.length === 5))) return 'postgres';
  if (code && PRISMA_TRANSIENT_CODES.has(code)) return 'postgres';
  const redisish = /redis|ioredis/i.test(name) || /CLUSTERDOWN|TRYAGAIN|LOADING|MASTERDOWN|READONLY|max retries per request|Stream isn't writeable/i.test(message);
  if (code && NODE_TRANSIENT_CODES.has(code)) return redisish ? 'redis' : /:6379|redis/i.test(message) ? 'redis' : 'postgres';
  if (TRANSIENT_MESSAGES.some((re) => re.test(message))) return redisish || /Connection is closed/.test(message) ? 'redis' : 'postgres';
  for (const cause of ownCauses(err)) {
    const found = transientDependency(cause, depth + 1);
    if (found) return found;
  }
  return undefined;
}

export const isTransientFailure = (err: unknown): boolean => transientDependency(err) !== undefined;
