import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { AppError, type AppErrorKind } from '../core/app-error.js';
import { firstLine } from '../core/first-line.js';
import { transientDependency } from '../core/transient-failure.js';
import type { EpisodeLog } from '../observability/episode-log.js';
import type { Metrics } from '../observability/metrics.js';

type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** The one place where a domain error kind becomes an HTTP status. */
export const STATUS_OF_KIND: Record<AppErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

/** Seconds a client is asked to wait when a dependency is down. */
const RETRY_AFTER_S = 5;

/**
 * Maps every error to the JSON error shape of the contract; internals are logged, not
 * returned. A dependency outage (PostgreSQL or Redis unreachable) is a 503 with
 * Retry-After and one warn line per outage episode, not a 500 and a stack per request.
 */
export function createErrorHandler(deps: { metrics: Metrics; episodes: EpisodeLog }) {
  return (err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    // The client went away mid-body: nobody reads the answer, and no dependency is down.
    if (req.raw.destroyed || req.raw.readableAborted) return reply.status(400).header('connection', 'close').send({ error: { code: 'request_aborted', message: 'the request was aborted' } });
    // Refused before the body was read: close the connection rather than let Node read the rest of it.
    if (err instanceof AppError && (err.kind === 'unauthenticated' || err.kind === 'too_large')) reply.header('connection', 'close');
    const dependency = err instanceof AppError ? undefined : transientDependency(err);
    if (dependency) {
      deps.metrics.dependencyUnavailable.inc({ dependency });
      deps.episodes.report(`request:${dependency}`, 'warn', { dependency, err: firstLine(err) }, `${dependency} unavailable: requests are answered 503 until it is back`);
      return reply
        .status(503)
        .header('retry-after', String(RETRY_AFTER_S))
        .type('application/json')
        .send({ error: { code: 'unavailable', message: `a service this request needs (${dependency === 'redis' ? 'Redis' : 'the database'}) is unavailable; try again shortly` } });
    }
    return mapError(err, req, reply);
  };
}

/** The contract's mapping of every other error. */
function mapError(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const send = (status: number, body: ErrorBody) => reply.status(status).type('application/json').send(body);
  if (err instanceof AppError) {
    // A limit that says when it resets (e.g. the daily invitation limit) tells the client how long to wait.
    const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (err.kind === 'rate_limited' && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    return send(STATUS_OF_KIND[err.kind], { error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } });
  }
  if (err instanceof ZodError) {
    return send(400, { error: { code: 'invalid_request', message: 'the request is not valid', details: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    return send(400, { error: { code: 'invalid_request', message: fe.message } });
  }
  if (fe.statusCode === 413) return send(413, { error: { code: 'payload_too_large', message: 'the request body is too large' } });
  if (fe.statusCode === 415) return send(415, { error: { code: 'unsupported_media_type', message: fe.message } });
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const code = fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'malformed_json' : 'bad_request';
    return send(fe.statusCode, { error: { code, message: fe.message } });
  }
  req.log.error({ err: { message: err.message, stack: err.stack } }, 'unhandled error');
  return send(500, { error: { code: 'internal', message: 'internal error' } });
}
