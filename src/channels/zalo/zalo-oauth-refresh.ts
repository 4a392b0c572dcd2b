import type { AxiosInstance } from 'axios';
import { z } from 'zod';

/** A refused or failed OAuth refresh. `message` never contains a token or secret. */
export class ZaloOAuthError extends Error {
  constructor(
    readonly code: number | null,
    message: string,
  ) {
    super(message);
    this.name = 'ZaloOAuthError';
  }
}

export type ZaloTokenPair = { accessToken: string; refreshToken: string; expiresInSec: number };

const success = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
});
const failure = z.object({
  error: z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)]),
  error_name: z.string().optional(),
  error_description: z.string().optional(),
});

/**
 * OAuth v4 refresh: `POST {oauthBase}/v4/oa/access_token` (form body app_id,
 * grant_type=refresh_token, refresh_token; header secret_key = app secret).
 * The refresh token is single-use: a successful call spends it.
 */
export async function refreshZaloTokens(
  http: AxiosInstance,
  params: { oauthBase: string; appId: string; appSecretKey: string; refreshToken: string; timeoutMs: number },
): Promise<ZaloTokenPair> {
  const form = new URLSearchParams({ app_id: params.appId, grant_type: 'refresh_token', refresh_token: params.refreshToken });
  let res;
  try {
    res = await http.post(`${params.oauthBase.replace(/\/+$/, '')}/v4/oa/access_token`, form.toString(), {
      headers: { secret_key: params.appSecretKey, 'content-type': 'application/x-www-form-urlencoded' },
      timeout: params.timeoutMs,
      validateStatus: () => true,
    });
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new ZaloOAuthError(null, `OAuth refresh request failed (${typeof code === 'string' ? code : 'network'})`);
  }
  if (res.status < 200 || res.status >= 300) throw new ZaloOAuthError(null, `OAuth refresh answered HTTP ${res.status}`);
  const ok = success.safeParse(res.data);
  if (ok.success) {
    return { accessToken: ok.data.access_token, refreshToken: ok.data.refresh_token, expiresInSec: ok.data.expires_in };
  }
  const err = failure.safeParse(res.data);
  if (err.success) {
    const name = (err.data.error_name ?? err.data.error_description ?? 'no description').slice(0, 200);
    throw new ZaloOAuthError(err.data.error, `OAuth refresh refused: error ${err.data.error} (${name})`);
  }
  throw new ZaloOAuthError(null, 'OAuth refresh answered an unexpected body');
}
