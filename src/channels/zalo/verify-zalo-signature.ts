import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a webhook delivery was refused; every refusal maps to HTTP 401. */
export type ZaloSignatureFailure = 'missing' | 'malformed' | 'mismatch' | 'wrong_app' | 'stale';

export type ZaloSignatureResult =
  | { ok: true; appId: string; timestamp: string }
  | { ok: false; reason: ZaloSignatureFailure; detail: string };

export type VerifyZaloSignatureInput = {
  /** The request body exactly as received (bytes), never a re-serialised object. */
  rawBody: Buffer | string;
  /** The `X-ZEvent-Signature` header value(s). */
  header: string | string[] | undefined;
  /** The OA secret key (not the app secret). */
  oaSecretKey: string;
  /** When given, a body whose `app_id` differs is refused. */
  expectedAppId?: string;
  /** Largest accepted |now − timestamp| in ms (e.g. `webhookMaxAgeSeconds * 1000`). */
  maxAgeMs: number;
  now?: number;
};

const HEADER_RE = /^mac=([0-9a-fA-F]{64})$/;
const TIMESTAMP_RE = /^\d{1,16}$/;

/** Hex SHA-256 of app_id + rawBody + timestamp + OA secret key (the Zalo webhook MAC). */
export function computeZaloMac(appId: string, rawBody: Buffer | string, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256').update(appId, 'utf8').update(rawBody).update(timestamp, 'utf8').update(oaSecretKey, 'utf8').digest('hex');
}

function fail(reason: ZaloSignatureFailure, detail: string): ZaloSignatureResult {
  return { ok: false, reason, detail };
}

/**
 * Verifies `X-ZEvent-Signature: mac=<hex>` over the exact raw body; `app_id` and
 * `timestamp` are read from the body. The MAC is compared in constant time.
 */
export function verifyZaloSignature(input: VerifyZaloSignatureInput): ZaloSignatureResult {
  const header = Array.isArray(input.header) ? input.header : input.header === undefined ? [] : [input.header];
  if (header.length === 0 || header.every((h) => h.trim() === '')) return fail('missing', 'no X-ZEvent-Signature header');
  if (header.length > 1) return fail('malformed', 'more than one X-ZEvent-Signature header');
  const match = HEADER_RE.exec(header[0]!.trim());
  if (!match) return fail('malformed', 'expected "mac=" followed by 64 hex digits');

  let body: unknown;
  try {
    body = JSON.parse(typeof input.rawBody === 'string' ? input.rawBody : input.rawBody.toString('utf8'));
  } catch {
    return fail('malformed', 'body is not JSON');
  }
  const { app_id: appId, timestamp } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof appId !== 'string' || appId === '') return fail('malformed', 'body has no string app_id');
  if (typeof timestamp !== 'string' || !TIMESTAMP_RE.test(timestamp)) return fail('malformed', 'body has no string timestamp of Unix ms');

  const expected = Buffer.from(computeZaloMac(appId, input.rawBody, timestamp, input.oaSecretKey), 'hex');
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return fail('mismatch', 'signature does not match the body');

  if (input.expectedAppId !== undefined && appId !== input.expectedAppId) return fail('wrong_app', 'app_id is not this app');
  const age = Math.abs((input.now ?? Date.now()) - Number(timestamp));
  if (age > input.maxAgeMs) return fail('stale', `timestamp is ${Math.round(age / 1000)} s away from now`);
  return { ok: true, appId, timestamp };
}
