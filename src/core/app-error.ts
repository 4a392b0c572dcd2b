/**
 * What went wrong, in domain terms. Only `src/api/error-handler.ts` turns a kind into an
 * HTTP status; domain modules say what happened, never how the web answers it.
 * - `invalid`: the request itself is malformed (400)
 * - `unauthenticated`: no or wrong credentials (401)
 * - `forbidden`: known caller, not allowed (403)
 * - `not_found`: the named thing does not exist, or is not the caller's to see (404)
 * - `conflict`: the thing exists but its state forbids the action (409)
 * - `too_large`: more than the route accepts (413)
 * - `unprocessable`: well-formed, but names something unusable (422)
 * - `rate_limited`: too many, try later (429)
 * - `unavailable`: a dependency is down or the process is overloaded (503)
 */
export type AppErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'unprocessable' | 'rate_limited' | 'unavailable';

/** A domain error: `code` is a stable machine-readable name, `message` says it for people, `details` lists specifics (never personal data). */
export class AppError extends Error {
  constructor(
    readonly kind: AppErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static invalid(message: string, details?: unknown) {
    return new AppError('invalid', 'bad_request', message, details);
  }
  static unauthenticated(message = 'missing or invalid credentials') {
    return new AppError('unauthenticated', 'unauthorized', message);
  }
  static forbidden(message = 'this key may not do that') {
    return new AppError('forbidden', 'forbidden', message);
  }
  static notFound(message = 'not found', code = 'not_found') {
    return new AppError('not_found', code, message);
  }
}
