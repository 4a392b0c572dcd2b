import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Zalo on 127.0.0.1: OA v3 CS messages, OAuth v4 refresh with
 * single-use rotating refresh tokens, and ZNS template messages. Point `openApiBase`,
 * `oauthBase` and `znsBase` at `url`. Errors come as HTTP 200 with a non-zero `error`,
 * as Zalo does.
 */
export const FAKE_ZALO_PATHS = { cs: '/v3.0/oa/message/cs', oauth: '/v4/oa/access_token', zns: '/message/template' } as const;

export type FakeZaloCall = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  rawBody: string;
  response: Record<string, unknown>;
};

export type FakeZaloServerOptions = {
  appId: string;
  appSecretKey: string;
  accessToken: string;
  refreshToken: string;
  /** `expires_in` of refreshed access tokens, in seconds (Zalo: 90000). */
  accessTtlSec?: number;
};

export type FakeZaloServer = {
  url: string;
  calls: FakeZaloCall[];
  callsTo(path: string): FakeZaloCall[];
  /** CS and ZNS calls that succeeded (the message was delivered). */
  delivered(path?: string): FakeZaloCall[];
  /** The next `times` calls (to `path`, default CS and ZNS) answer `error: code`. */
  failNext(code: number, opts?: { times?: number; path?: string }): void;
  /** Every CS send to this user answers `error: code` (null: stop). */
  failForUser(userId: string, code: number | null): void;
  /** Every ZNS send to this phone ("84…") answers `error: code` (null: stop). */
  failForPhone(phone: string, code: number | null): void;
  /** Every access token issued so far becomes invalid (-216 on CS, -124 on ZNS). */
  expireAccessTokens(): void;
  validAccessTokens(): string[];
  /** The refresh token that is currently unspent. */
  currentRefreshToken(): string | undefined;
  /** Delay before answering a refresh (the token is spent at once), to widen races. */
  refreshDelayMs: number;
  close(): Promise<void>;
};

const MESSAGES: Record<number, string> = {
  [-32]: 'Exceeded the rate limit',
  [-108]: 'Phone number is invalid',
  [-118]: 'Zalo account does not exist or is disabled',
  [-124]: 'Access token is invalid',
  [-213]: 'User has not followed the OA',
  [-216]: 'Access token is invalid',
  [-217]: 'User has blocked messages from the OA',
  [-220]: 'Access token has expired or been revoked',
  [-230]: 'User has not interacted with the OA in the last 7 days',
  [-232]: 'User has not interacted with the OA recently',
  [-234]: 'OA cannot send messages at night (22:00-06:00)',
  [-244]: 'User is not reachable',
};

const apiError = (code: number) => ({ error: code, message: MESSAGES[code] ?? 'Injected error' });
const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`;

function parseBody(req: IncomingMessage, raw: string): unknown {
  if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export async function createFakeZaloServer(options: FakeZaloServerOptions): Promise<FakeZaloServer> {
  const calls: FakeZaloCall[] = [];
  const rules: { code: number; remaining: number; path?: string }[] = [];
  const userErrors = new Map<string, number>();
  const phoneErrors = new Map<string, number>();
  const validAccess = new Set([options.accessToken]);
  const refreshTokens = new Map([[options.refreshToken, 'unspent' as 'unspent' | 'spent']]);

  const injected = (path: string): number | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && (r.path ? r.path === path : path !== FAKE_ZALO_PATHS.oauth));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.code;
  };

  function oauth(req: IncomingMessage, body: Record<string, string>): Record<string, unknown> {
    const code = injected(FAKE_ZALO_PATHS.oauth);
    if (code !== undefined) return { error: code, error_name: 'Injected error', error_description: 'Injected error' };
    if (req.headers['secret_key'] !== options.appSecretKey) return { error: -14002, error_name: 'Invalid secret key' };
    if (body.app_id !== options.appId) return { error: -14001, error_name: 'Invalid app id' };
    if (body.grant_type !== 'refresh_token') return { error: -14003, error_name: 'Invalid grant type' };
    if (refreshTokens.get(body.refresh_token ?? '') !== 'unspent') return { error: -14014, error_name: 'Invalid refresh token' };
    refreshTokens.set(body.refresh_token!, 'spent');
    const access = id('at_');
    const refresh = id('rt_');
    validAccess.add(access);
    refreshTokens.set(refresh, 'unspent');
    return { access_token: access, refresh_token: refresh, expires_in: String(options.accessTtlSec ?? 90000) };
  }

  function cs(req: IncomingMessage, body: { recipient?: { user_id?: string } }): Record<string, unknown> {
    const userId = body.recipient?.user_id;
    const code = injected(FAKE_ZALO_PATHS.cs) ?? (userId ? userErrors.get(userId) : undefined);
    if (code !== undefined) return apiError(code);
    if (!validAccess.has(String(req.headers['access_token'] ?? ''))) return apiError(-216);
    if (typeof userId !== 'string') return { error: -201, message: 'recipient.user_id is required' };
    return { error: 0, message: 'Success', data: { message_id: id('m'), user_id: userId } };
  }

  function zns(req: IncomingMessage, body: { phone?: string; template_id?: string }): Record<string, unknown> {
    const code = injected(FAKE_ZALO_PATHS.zns) ?? (body.phone ? phoneErrors.get(body.phone) : undefined);
    if (code !== undefined) return apiError(code);
    if (!validAccess.has(String(req.headers['access_token'] ?? ''))) return apiError(-124);
    if (typeof body.phone !== 'string' || !/^84\d{9,10}$/.test(body.phone)) return apiError(-108);
    if (!body.template_id) return { error: -1123, message: 'template_id is required' };
    return { error: 0, message: 'Success', data: { msg_id: id('z'), sent_time: String(Date.now()) } };
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const body = parseBody(req, rawBody) as Record<string, unknown>;
      const path = (req.url ?? '/').split('?')[0]!;
      let response: Record<string, unknown>;
      let delay = 0;
      if (req.method !== 'POST') response = { error: -404, message: 'Not found' };
      else if (path === FAKE_ZALO_PATHS.oauth) {
        response = oauth(req, body as Record<string, string>);
        delay = fake.refreshDelayMs;
      } else if (path === FAKE_ZALO_PATHS.cs) response = cs(req, body);
      else if (path === FAKE_ZALO_PATHS.zns) response = zns(req, body);
      else response = { error: -404, message: 'Not found' };
      calls.push({ method: req.method ?? 'GET', path, headers: req.headers, body, rawBody, response });
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(response));
      }, delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeZaloServer = {
    url: `http://127.0.0.1:${port}`,
    calls,
    callsTo: (path) => calls.filter((c) => c.path === path),
    delivered: (path) =>
      calls.filter((c) => (path ? c.path === path : c.path !== FAKE_ZALO_PATHS.oauth) && c.response.error === 0),
    failNext: (code, opts = {}) => void rules.push({ code, remaining: opts.times ?? 1, ...(opts.path ? { path: opts.path } : {}) }),
    failForUser: (userId, code) => void (code === null ? userErrors.delete(userId) : userErrors.set(userId, code)),
    failForPhone: (phone, code) => void (code === null ? phoneErrors.delete(phone) : phoneErrors.set(phone, code)),
    expireAccessTokens: () => validAccess.clear(),
    validAccessTokens: () => [...validAccess],
    currentRefreshToken: () => [...refreshTokens.entries()].find(([, s]) => s === 'unspent')?.[0],
    refreshDelayMs: 0,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return fake;
}
