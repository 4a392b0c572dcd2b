import type { AxiosInstance } from 'axios';
import type { ZaloConfig } from '../../config/load-config.js';
import type { ZaloToken } from '../../db/generated/client.js';
import type { Db } from '../../db/prisma-client.js';
import type { ZaloLogger } from './zalo-logger.js';
import { refreshZaloTokens, ZaloOAuthError } from './zalo-oauth-refresh.js';

export class ZaloTokenRefreshError extends Error {
  constructor(readonly code: number | null, message: string) {
    super(message);
    this.name = 'ZaloTokenRefreshError';
  }
}

export type RotateContext = {
  db: Db;
  http: AxiosInstance;
  config: Pick<ZaloConfig, 'appId' | 'oaId' | 'appSecretKey' | 'oauthBase'>;
  logger: ZaloLogger;
  now: () => number;
  requestTimeoutMs: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Spends `row.refreshToken` once (the caller holds the refresh lock) and commits the
 * rotated pair, version + 1, before returning it. A refused refresh is recorded in
 * `last_error` (only against the token used, so a concurrent success is never marked
 * failed) and thrown as `ZaloTokenRefreshError`.
 */
export async function rotateZaloTokens(ctx: RotateContext, row: ZaloToken, reason: string): Promise<ZaloToken> {
  const { db, config, logger } = ctx;
  logger.info({ event: 'zalo.token_refresh', reason, version: row.version }, 'Refreshing Zalo OA tokens');
  let pair;
  try {
    pair = await refreshZaloTokens(ctx.http, { ...config, refreshToken: row.refreshToken, timeoutMs: ctx.requestTimeoutMs });
  } catch (err) {
    const code = err instanceof ZaloOAuthError ? err.code : null;
    const message = err instanceof ZaloOAuthError ? err.message : 'OAuth refresh failed';
    logger.error({ event: 'zalo.token_refresh_failed', reason, code, version: row.version }, message);
    await db.zaloToken
      .updateMany({ where: { oaId: config.oaId, refreshToken: row.refreshToken }, data: { lastError: message } })
      .catch(() => logger.error({ event: 'zalo.token_error_not_recorded' }, 'Could not record the refresh failure'));
    throw new ZaloTokenRefreshError(code, message);
  }
  const data = {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    accessExpiresAt: new Date(ctx.now() + pair.expiresInSec * 1000),
    version: { increment: 1 },
    lastError: null,
  };
  // The old refresh token is spent: the new pair must reach the database before anyone uses it.
  for (let attempt = 1; ; attempt++) {
    try {
      const saved = await db.zaloToken.update({ where: { oaId: config.oaId }, data });
      logger.info({ event: 'zalo.token_refreshed', version: saved.version, expiresInSec: pair.expiresInSec }, 'Zalo OA tokens refreshed');
      return saved;
    } catch {
      logger.error({ event: 'zalo.token_persist_failed', attempt }, 'Could not store the refreshed Zalo tokens');
      if (attempt >= 5) throw new ZaloTokenRefreshError(null, 'refreshed tokens could not be stored');
      await sleep(200 * 2 ** attempt);
    }
  }
}
