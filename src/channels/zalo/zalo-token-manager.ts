import axios, { type AxiosInstance } from 'axios';
import type { RedisClient } from '../../queues/redis-connection.js';
import type { ZaloConfig } from '../../config/load-config.js';
import type { ZaloToken } from '../../db/generated/client.js';
import type { Db } from '../../db/prisma-client.js';
import { RedisRefreshLock } from './redis-refresh-lock.js';
import { rotateZaloTokens, ZaloTokenRefreshError } from './rotate-zalo-tokens.js';
import type { ZaloAccessTokens } from './zalo-api-call.js';
import { silentZaloLogger, type ZaloLogger } from './zalo-logger.js';

export { ZaloTokenRefreshError };

/** For `/readyz` details; never contains a token. */
export type ZaloTokenStatus = {
  ok: boolean;
  seeded: boolean;
  version: number | null;
  accessExpiresAt: Date | null;
  expiresInMs: number | null;
  lastError: string | null;
  updatedAt: Date | null;
};

export type RefreshIfExpiringResult =
  | { outcome: 'fresh' | 'refreshed'; accessExpiresAt: Date }
  | { outcome: 'failed'; error: string };

export type ZaloTokenManagerOptions = {
  db: Db;
  redis: RedisClient;
  config: Pick<ZaloConfig, 'appId' | 'oaId' | 'appSecretKey' | 'accessToken' | 'refreshToken' | 'oauthBase'>;
  /** `AppConfig.redisPrefix` (hash-tagged). */
  keyPrefix: string;
  http?: AxiosInstance;
  logger?: ZaloLogger;
  now?: () => number;
  lockTtlMs?: number;
  waitTimeoutMs?: number;
  pollMs?: number;
  cacheTtlMs?: number;
  requestTimeoutMs?: number;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * OA access/refresh tokens in PostgreSQL (`zalo_tokens`, seeded from config when the
 * row is missing). Refreshes run under a Redis lock and are coalesced in-process, so
 * the single-use refresh token is spent once; the rotated pair is committed before
 * the new access token is handed out.
 */
export class ZaloTokenManager implements ZaloAccessTokens {
  private readonly o: Required<Omit<ZaloTokenManagerOptions, 'http' | 'logger'>> & { http: AxiosInstance; logger: ZaloLogger };
  private readonly lock: RedisRefreshLock;
  private cached: { row: ZaloToken; until: number } | null = null;
  private loading: Promise<ZaloToken> | null = null;
  private inflight: Promise<string> | null = null;

  constructor(options: ZaloTokenManagerOptions) {
    this.o = {
      now: Date.now, lockTtlMs: 30_000, waitTimeoutMs: 20_000, pollMs: 50, cacheTtlMs: 5_000, requestTimeoutMs: 10_000,
      ...options,
      http: options.http ?? axios.create(),
      logger: options.logger ?? silentZaloLogger,
    };
    this.lock = new RedisRefreshLock(options.redis, `${options.keyPrefix}:zalo:token-refresh:${options.config.oaId}`, this.o.lockTtlMs);
  }

  async getAccessToken(): Promise<string> {
    if (this.cached && this.cached.until > this.o.now()) return this.cached.row.accessToken;
    this.loading ??= this.readRow().finally(() => (this.loading = null));
    return (await this.loading).accessToken;
  }

  /**
   * Refreshes the tokens and returns the new access token. When the stored access token
   * already differs from `staleAccessToken` (another caller or process refreshed), it is
   * returned without spending the refresh token again.
   */
  refresh(reason: string, staleAccessToken?: string): Promise<string> {
    this.inflight ??= this.refreshUnderLock(reason, staleAccessToken).finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** For a repeatable job: refresh when the access token expires within `marginMs`. Never throws. */
  async refreshIfExpiringSoon(marginMs: number): Promise<RefreshIfExpiringResult> {
    try {
      const row = await this.readRow();
      if (row.accessExpiresAt.getTime() - this.o.now() > marginMs) return { outcome: 'fresh', accessExpiresAt: row.accessExpiresAt };
      await this.refresh('proactive', row.accessToken);
      return { outcome: 'refreshed', accessExpiresAt: (await this.readRow()).accessExpiresAt };
    } catch (err) {
      return { outcome: 'failed', error: err instanceof Error ? err.message : 'refresh failed' };
    }
  }

  async status(): Promise<ZaloTokenStatus> {
    const row = await this.o.db.zaloToken.findUnique({ where: { oaId: this.o.config.oaId } });
    if (!row) return { ok: true, seeded: false, version: null, accessExpiresAt: null, expiresInMs: null, lastError: null, updatedAt: null };
    const { version, accessExpiresAt, lastError, updatedAt } = row;
    return { ok: lastError === null, seeded: true, version, accessExpiresAt, expiresInMs: accessExpiresAt.getTime() - this.o.now(), lastError, updatedAt };
  }

  /** Fresh read (seeding the row from config if missing); refreshes the cache. */
  private async readRow(): Promise<ZaloToken> {
    const { db, config } = this.o;
    let row = await db.zaloToken.findUnique({ where: { oaId: config.oaId } });
    if (!row) {
      // The configured token's age is unknown: mark it due so the first proactive run refreshes it.
      const seed = { oaId: config.oaId, accessToken: config.accessToken, refreshToken: config.refreshToken, accessExpiresAt: new Date(this.o.now()) };
      const { count } = await db.zaloToken.createMany({ data: [seed], skipDuplicates: true });
      if (count > 0) this.o.logger.info({ event: 'zalo.tokens_seeded' }, 'Zalo tokens seeded from configuration');
      row = await db.zaloToken.findUniqueOrThrow({ where: { oaId: config.oaId } });
    }
    this.cached = { row, until: this.o.now() + this.o.cacheTtlMs };
    return row;
  }

  private async refreshUnderLock(reason: string, stale: string | undefined): Promise<string> {
    const started = this.o.now();
    let row = await this.readRow();
    const observed = stale ?? row.accessToken;
    let waited = false;
    for (;;) {
      if (row.accessToken !== observed) return row.accessToken;
      const holder = await this.lock.tryAcquire();
      if (holder) {
        try {
          row = await this.readRow();
          if (row.accessToken !== observed) return row.accessToken;
          // The holder we waited for failed just now: report that instead of trying again at once.
          if (waited && row.lastError && row.updatedAt.getTime() >= started) throw new ZaloTokenRefreshError(null, row.lastError);
          return await this.spend(row, reason);
        } finally {
          await this.lock.release(holder).catch(() => undefined);
        }
      }
      waited = true;
      if (this.o.now() - started > this.o.waitTimeoutMs) throw new ZaloTokenRefreshError(null, 'timed out waiting for the token refresh lock');
      await sleep(this.o.pollMs);
      row = await this.readRow();
    }
  }

  private async spend(row: ZaloToken, reason: string): Promise<string> {
    try {
      const saved = await rotateZaloTokens(this.o, row, reason);
      this.cached = { row: saved, until: this.o.now() + this.o.cacheTtlMs };
      return saved.accessToken;
    } catch (err) {
      this.cached = null;
      throw err;
    }
  }
}
