/** A domain error with an HTTP status, rendered as `{ error: { code, message, details? } }`. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(message: string, details?: unknown) {
    return new ApiError(400, 'bad_request', message, details);
  }
  static unauthorized(message = 'missing or invalid credentials') {
    return new ApiError(401, 'unauthorized', message);
  }
  static forbidden(message = 'this key may not do that') {
    return new ApiError(403, 'forbidden', message);
  }
  static notFound(message = 'not found') {
    return new ApiError(404, 'not_found', message);
  }
}
