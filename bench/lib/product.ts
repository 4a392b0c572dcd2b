import path from 'node:path';
import { loadConfig, startApp, type RunningApp } from '../../src/index.js';
import { freePort, spawnScript, waitHttpReady, waitOutput, type ScriptProcess } from '../../test/support/spawn-script.js';
import { dbUrl } from './pg.js';
import { REDIS_URL } from './redis-keys.js';

export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789abcdef';
export const BENCH_TG_TOKEN = '123456:BENCH-token_abc';
export const BENCH_TG_SECRET = 'bench_webhook_secret';
/** Per benchmark run: two runs at once (two benchmarks, or a developer's and CI's) must not take each other's jobs. */
export const BENCH_PREFIX = `{bench-${process.pid}}`;

export type RunningProduct = { proc: ScriptProcess; url: string | undefined; port: number };

type Target = { database: string; telegramApiRoot: string; prefix?: string; port?: number; logLevel?: string; /** More environment on top (e.g. a channel's ZALO_* variables). */ env?: Record<string, string> };

/** The product's environment for a benchmark: its own database and Redis prefix, the admin key, the fake Bot API. */
export function productEnv(t: Target): Record<string, string> {
  const base = t.port ? `http://127.0.0.1:${t.port}` : 'http://127.0.0.1';
  return {
    NODE_ENV: 'production',
    // The machine's Redis keeps nothing on disk and is not ours to reconfigure; a deployment runs AOF (README).
    REDIS_VOLATILE_OK: 'true',
    PSEUDONYM_KEY: 'bench-pseudonym-key-of-at-least-32-characters',
    // Benchmarks run at any hour; quiet hours would hold the broadcast until morning.
    QUIET_HOURS: 'off',
    LOG_LEVEL: t.logLevel ?? 'info',
    ...(t.port ? { PORT: String(t.port), HOST: '127.0.0.1' } : {}),
    DATABASE_URL: dbUrl(t.database),
    REDIS_URL,
    REDIS_PREFIX: t.prefix ?? BENCH_PREFIX,
    ADMIN_API_KEY: BENCH_ADMIN_KEY,
    PUBLIC_BASE_URL: base,
    TELEGRAM_BOT_TOKEN: BENCH_TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: BENCH_TG_SECRET,
    TELEGRAM_BOT_USERNAME: 'sipas_bench_bot',
    TELEGRAM_API_ROOT: t.telegramApiRoot,
    ...t.env,
  };
}

/**
 * Starts the product as its own process, as `npm start` does (`node --import tsx src/main.ts`),
 * against database `database` and Redis prefix {bench-<pid>} (or `prefix`), with the Bot API at `telegramApiRoot`.
 * `role`: both (default), web or worker. Extra node flags (e.g. --cpu-prof) go first.
 */
export async function startProduct(opts: Target & { logDir: string; label: string; role?: 'both' | 'web' | 'worker'; nodeFlags?: string[] }): Promise<RunningProduct> {
  const port = await freePort();
  const role = opts.role ?? 'both';
  const proc = spawnScript('src/main.ts', {
    name: `product(${opts.label})`,
    args: role === 'both' ? [] : [`--${role}`],
    nodeFlags: opts.nodeFlags ?? [],
    logFile: path.join(opts.logDir, `product-${opts.label}.log`),
    env: productEnv({ ...opts, port }),
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

/**
 * The product in this process through its app factory — no workers, the web role built
 * but not listening (requests go through `inject`) — on a database a product process
 * has already migrated and seeded.
 */
export function openProduct(t: Omit<Target, 'port'>): Promise<RunningApp> {
  return startApp(loadConfig(productEnv({ logLevel: 'warn', ...t })), { web: true, worker: false, listen: false });
}

/** A request to the admin API of an in-process product (`openProduct`); throws on an error status. */
export async function inject<T>(app: RunningApp, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<T> {
  const res = await app.app!.inject({ method, url, headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  if (res.statusCode >= 400) throw new Error(`${method} ${url} → ${res.statusCode}: ${res.body.slice(0, 500)}`);
  return res.json<T>();
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
