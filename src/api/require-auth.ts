import type { FastifyRequest } from 'fastify';
import { authenticate } from '../auth/authenticate.js';
import type { Principal, Role } from '../auth/principal.js';
import type { AppContext } from '../core/app-context.js';
import { AppError } from '../core/app-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** An onRequest hook, so it runs before any body is read: 401 without a valid key, 403 when the key's role is not allowed. */
export function requireRole(ctx: AppContext, ...roles: Role[]) {
  return async (req: FastifyRequest): Promise<void> => {
    const principal = await authenticate(ctx.db, ctx.config.adminApiKey, req.headers.authorization);
    if (!principal) throw AppError.unauthenticated();
    if (!roles.includes(principal.role)) throw AppError.forbidden(`a ${principal.role} key may not use this route`);
    req.principal = principal;
  };
}
