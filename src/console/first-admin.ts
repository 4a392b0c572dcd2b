import { createHash, randomBytes } from 'node:crypto';
import type { AppContext } from '../core/app-context.js';
import { countUsers } from '../users/user-store.js';

/** How long the first-administrator link printed at start stays valid. */
export const FIRST_ADMIN_LINK_TTL_MS = 60 * 60 * 1000;
export const FIRST_ADMIN_PATH = '/setup/first-admin';

function key(ctx: AppContext, token: string): string {
  return `${ctx.config.redisPrefix}:console:first-admin:${createHash('sha256').update(token).digest('base64url')}`;
}

/** A one-time token for creating the first administrator; only its hash is kept, for one hour. */
export async function issueFirstAdminToken(ctx: AppContext): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = ctx.now().getTime() + FIRST_ADMIN_LINK_TTL_MS;
  await ctx.redis.set(key(ctx, token), String(expiresAt), 'PX', FIRST_ADMIN_LINK_TTL_MS);
  return token;
}

/** Whether the token may still create the first administrator (known, unexpired by the product's clock, and no user yet). */
export async function firstAdminTokenValid(ctx: AppContext, token: string): Promise<boolean> {
  if (!token) return false;
  const expiresAt = Number(await ctx.redis.get(key(ctx, token)));
  return expiresAt > ctx.now().getTime() && (await countUsers(ctx.db)) === 0;
}

/** Uses the token up: true for the one caller that deleted it while it was valid. */
export async function consumeFirstAdminToken(ctx: AppContext, token: string): Promise<boolean> {
  if (!(await firstAdminTokenValid(ctx, token))) return false;
  return (await ctx.redis.del(key(ctx, token))) === 1;
}

/**
 * On a start with no console user, logs a one-time link (valid one hour) to create the
 * first administrator; the README tells operators to look for it. Returns the link.
 */
export async function announceFirstAdminLink(ctx: AppContext): Promise<string | null> {
  if ((await countUsers(ctx.db)) > 0) return null;
  const link = `${ctx.config.publicBaseUrl}${FIRST_ADMIN_PATH}?token=${await issueFirstAdminToken(ctx)}`;
  ctx.logger.warn(`no console user yet: create the first administrator within 1 hour at ${link} (or run npm run user -- create --role admin)`);
  return link;
}
