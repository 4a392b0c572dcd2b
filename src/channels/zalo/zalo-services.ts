import axios, { type AxiosInstance } from 'axios';
import type { ZaloConfig } from '../../config/load-config.js';
import type { AppContext } from '../../core/app-context.js';
import { ZaloOaClient } from './zalo-oa-client.js';
import { ZaloTokenManager } from './zalo-token-manager.js';
import { ZaloZnsClient } from './zalo-zns-client.js';

/** The Zalo clients of one process: one token manager, so refreshes coalesce in-process too. */
export type ZaloServices = {
  config: ZaloConfig;
  /** The keep-alive HTTP client every Zalo call goes through. */
  http: AxiosInstance;
  tokens: ZaloTokenManager;
  oa: ZaloOaClient;
  zns: ZaloZnsClient;
};

export function createZaloServices(ctx: AppContext, config: ZaloConfig): ZaloServices {
  // One keep-alive HTTP client for all Zalo hosts; the clients never log its config (it holds the token header).
  const http = axios.create();
  // Token expiry runs on real time; the night window (-234) is read on the product clock,
  // which is the real one outside tests.
  const tokens = new ZaloTokenManager({ db: ctx.db, redis: ctx.redis, config, keyPrefix: ctx.config.redisPrefix, http, logger: ctx.logger });
  const now = () => ctx.now().getTime();
  return {
    config,
    http,
    tokens,
    oa: new ZaloOaClient({ openApiBase: config.openApiBase, tokens, http, logger: ctx.logger, now }),
    zns: new ZaloZnsClient({ znsBase: config.znsBase, tokens, http, logger: ctx.logger, now }),
  };
}
