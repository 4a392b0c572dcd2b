import { msUntilVietnamMorning } from './ms-until-vietnam-morning.js';

export type ZaloApi = 'cs' | 'zns';

/**
 * What a failed Zalo call means for the caller. `code` is Zalo's `error` (null for
 * transport failures and for requests refused before any call).
 */
export type ZaloFailure =
  /** Access token invalid/expired even after one refresh, or the refresh failed: retry later. */
  | { kind: 'token'; code: number | null; message: string }
  /** -32: OA rate limit; retry after `retryAfterMs` (the whole OA is limited, not one user). */
  | { kind: 'rate_limited'; code: number | null; message: string; retryAfterMs: number }
  /** -234: no sends 22:00–06:00 Vietnam time; retry at `retryAt`. */
  | { kind: 'night'; code: number; message: string; retryAt: Date; delayMs: number }
  /** -230/-232: the user has not interacted for > 7 days; CS is closed (invitations fall back to ZNS). */
  | { kind: 'silent'; code: number; message: string }
  /** -213/-217/-244: the user cannot be reached (unfollowed, blocked, deleted); stop sending. */
  | { kind: 'unreachable'; code: number; message: string }
  /** ZNS -108 / -118 (or a phone refused locally): this invitation cannot be delivered. */
  | { kind: 'undeliverable'; code: number | null; message: string; reason: 'bad_phone' | 'no_zalo_account' }
  /** Anything else (unknown code, network, HTTP 5xx): retry a few times. */
  | { kind: 'retryable'; code: number | null; message: string };

export type ZaloFailureKind = ZaloFailure['kind'];

export const ZALO_TOKEN_ERROR_CODES: readonly number[] = [-216, -220, -124];
export const ZALO_RATE_LIMIT_RETRY_MS = 60_000;

/** Maps a non-zero `error` of an OA (`cs`) or ZNS call to its failure class. */
export function classifyZaloError(code: number, message: string, api: ZaloApi, now: number = Date.now()): ZaloFailure {
  if (ZALO_TOKEN_ERROR_CODES.includes(code)) return { kind: 'token', code, message };
  switch (code) {
    case -32:
      return { kind: 'rate_limited', code, message, retryAfterMs: ZALO_RATE_LIMIT_RETRY_MS };
    case -234: {
      const delayMs = msUntilVietnamMorning(now);
      return { kind: 'night', code, message, delayMs, retryAt: new Date(now + delayMs) };
    }
    case -230:
    case -232:
      return { kind: 'silent', code, message };
    case -213:
    case -217:
    case -244:
      return { kind: 'unreachable', code, message };
  }
  if (api === 'zns' && code === -108) return { kind: 'undeliverable', code, message, reason: 'bad_phone' };
  if (api === 'zns' && code === -118) return { kind: 'undeliverable', code, message, reason: 'no_zalo_account' };
  return { kind: 'retryable', code, message };
}
