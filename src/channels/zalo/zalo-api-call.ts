import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import { classifyZaloError, type ZaloApi, type ZaloFailure } from './classify-zalo-error.js';
import { silentZaloLogger, type ZaloLogger } from './zalo-logger.js';

/** Where access tokens come from; `ZaloTokenManager` is the real one. */
export type ZaloAccessTokens = {
  getAccessToken(): Promise<string>;
  /** Refreshes unless the stored token already differs from `staleAccessToken`; returns the current token. */
  refresh(reason: string, staleAccessToken?: string): Promise<string>;
};

export type ZaloCallResult = { ok: true; data: Record<string, unknown> } | { ok: false; failure: ZaloFailure };

export type ZaloCallContext = {
  http: AxiosInstance;
  tokens: ZaloAccessTokens;
  logger: ZaloLogger;
  timeoutMs: number;
  now: () => number;
};

/** A client's call context from its options: a fresh HTTP client, no logging, 10 s timeout and real time unless given. */
export function zaloCallContext(o: { tokens: ZaloAccessTokens; http?: AxiosInstance; logger?: ZaloLogger; timeoutMs?: number; now?: () => number }): ZaloCallContext {
  return { http: o.http ?? axios.create(), tokens: o.tokens, logger: o.logger ?? silentZaloLogger, timeoutMs: o.timeoutMs ?? 10_000, now: o.now ?? Date.now };
}

const envelope = z.object({
  error: z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]),
  message: z.string().optional(),
  data: z.record(z.string(), z.unknown()).nullish(),
});

async function postOnce(ctx: ZaloCallContext, api: ZaloApi, url: string, body: unknown, token: string): Promise<ZaloCallResult> {
  try {
    const res = await ctx.http.post(url, body, {
      headers: { access_token: token, 'content-type': 'application/json' },
      timeout: ctx.timeoutMs,
      validateStatus: () => true,
    });
    if (res.status === 429) return { ok: false, failure: { kind: 'rate_limited', code: null, message: 'HTTP 429', retryAfterMs: 60_000 } };
    if (res.status < 200 || res.status >= 300) return { ok: false, failure: { kind: 'retryable', code: null, message: `HTTP ${res.status}` } };
    const parsed = envelope.safeParse(res.data);
    if (!parsed.success) return { ok: false, failure: { kind: 'retryable', code: null, message: 'unexpected response body' } };
    const { error, message = '', data } = parsed.data;
    if (error === 0) return { ok: true, data: data ?? {} };
    return { ok: false, failure: classifyZaloError(error, message, api, ctx.now()) };
  } catch (err) {
    // Axios errors carry the request config (with the token header): keep only the code.
    const code = (err as { code?: unknown }).code;
    return { ok: false, failure: { kind: 'retryable', code: null, message: `network error ${typeof code === 'string' ? code : 'unknown'}` } };
  }
}

/**
 * POSTs to a Zalo API with the current access token. On a token error (-216/-220/-124)
 * the token is refreshed once (coalesced by the token manager) and the call retried once.
 */
export async function callZaloApi(ctx: ZaloCallContext, api: ZaloApi, url: string, body: unknown): Promise<ZaloCallResult> {
  let token: string;
  try {
    token = await ctx.tokens.getAccessToken();
  } catch {
    return { ok: false, failure: { kind: 'token', code: null, message: 'no access token available' } };
  }
  const first = await postOnce(ctx, api, url, body, token);
  if (first.ok || first.failure.kind !== 'token') return first;

  ctx.logger.warn({ event: 'zalo.token_rejected', api, code: first.failure.code }, 'Zalo rejected the access token; refreshing');
  let fresh: string;
  try {
    fresh = await ctx.tokens.refresh(`${api} error ${first.failure.code}`, token);
  } catch {
    return { ok: false, failure: { kind: 'token', code: first.failure.code, message: 'access token refresh failed' } };
  }
  const second = await postOnce(ctx, api, url, body, fresh);
  if (!second.ok && second.failure.kind === 'token') {
    ctx.logger.error({ event: 'zalo.token_rejected_after_refresh', api, code: second.failure.code }, 'Zalo rejected a freshly refreshed token');
  }
  return second;
}
