import path from 'node:path';
import { dbUrl } from './pg.js';
import { freePort, spawnTs, waitHttpReady, waitOutput, type Managed } from './proc.js';
import { REDIS_URL } from './redis-keys.js';

export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
export const BENCH_TG_TOKEN = '123456:BENCH-token_abc';
export const BENCH_TG_SECRET = 'bench_webhook_secret';
/** Per benchmark run: two runs at once (two benchmarks, or a developer's and CI's) must not take each other's jobs. */
export const BENCH_PREFIX = `{bench-${process.pid}}`;

export type RunningProduct = { proc: Managed; url: string | undefined; port: number };

/**
 * Starts the product as its own process, as `npm start` does (`node --import tsx src/main.ts`),
 * against database `database` and Redis prefix {bench} (or `prefix`), with the Bot API at `telegramApiRoot`.
 * `role`: both (default), web or worker. Extra node flags (e.g. --cpu-prof) go first.
 */
export async function startProduct(opts: {
  database: string;
  telegramApiRoot: string;
  logDir: string;
  label: string;
  role?: 'both' | 'web' | 'worker';
  /** Redis prefix (default {bench}). */
  prefix?: string;
  nodeFlags?: string[];
  env?: Record<string, string>;
}): Promise<RunningProduct> {
  const port = await freePort();
  const role = opts.role ?? 'both';
  const proc = spawnTs(`product(${opts.label})`, 'src/main.ts', {
    args: role === 'both' ? [] : [`--${role}`],
    nodeFlags: opts.nodeFlags ?? [],
    logFile: path.join(opts.logDir, `product-${opts.label}.log`),
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: dbUrl(opts.database),
      REDIS_URL,
      REDIS_PREFIX: opts.prefix ?? BENCH_PREFIX,
      ADMIN_API_KEY: BENCH_ADMIN_KEY,
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      TELEGRAM_BOT_TOKEN: BENCH_TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: BENCH_TG_SECRET,
      TELEGRAM_BOT_USERNAME: 'sipas_bench_bot',
      TELEGRAM_API_ROOT: opts.telegramApiRoot,
      ...opts.env,
    },
  });
  try {
    if (role === 'worker') {
      await waitOutput(proc, 'workers started', 120_000);
      return { proc, url: undefined, port };
    }
    const url = `http://127.0.0.1:${port}`;
    await waitHttpReady(proc, `${url}/healthz`, 120_000);
    if (role === 'both') await waitOutput(proc, 'workers started', 30_000);
    return { proc, url, port };
  } catch (err) {
    await proc.stop();
    throw err;
  }
}

export const adminHeaders = { authorization: `Bearer ${BENCH_ADMIN_KEY}`, 'content-type': 'application/json' };

export async function api<T>(url: string, method: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(url, { method, headers: adminHeaders, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status}: ${text.slice(0, 500)}`);
  return { status: res.status, json: json as T };
}
