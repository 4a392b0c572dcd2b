import http from 'node:http';
import type pg from 'pg';
import { adminHeaders } from '../lib/product.js';
import { percentiles, round2 } from '../lib/stats.js';
import { benchUnits } from '../lib/units.js';

export type UnitUpload = {
  rows: number;
  bytes: number;
  status: number;
  ms: number;
  created: number | null;
  updated: number | null;
  /** Distinct PostgreSQL transactions that last wrote the uploaded rows (xmin), read afterwards: 1 = one transaction. */
  transactions: number;
};

export type QrBurst = {
  requests: number;
  invitations: number;
  statuses: Record<string, number>;
  durationMs: number;
  latencyMs: Record<string, number>;
  /** Bytes of the PNGs received (median). */
  pngBytes: number;
};

type Reply = { status: number; ms: number; body: Buffer };

function send(agent: http.Agent, url: URL, method: string, body?: string): Promise<Reply> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const headers: Record<string, string | number> = { authorization: adminHeaders.authorization };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname, method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: Buffer.concat(chunks) }));
      res.on('error', () => resolve({ status: -1, ms: performance.now() - t0, body: Buffer.alloc(0) }));
    });
    req.setTimeout(120_000, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: -1, ms: performance.now() - t0, body: Buffer.alloc(0) }));
    req.end(body);
  });
}

/**
 * `PUT /api/v1/units` with the admin key, `times` times in a row: `rows` units (the
 * benchmark's 700 first, which the citizens start from, so they stay active), their names
 * changed on every upload so each one really updates every row.
 */
export async function uploadUnits(baseUrl: string, db: pg.Pool, rows: number, times: number): Promise<UnitUpload[]> {
  const agent = new http.Agent({ keepAlive: false });
  const out: UnitUpload[] = [];
  for (let i = 1; i <= times; i++) {
    const units = benchUnits(rows).map((u) => ({ ...u, name: `${u.name} (tải lên ${i})` }));
    const body = JSON.stringify(units);
    const r = await send(agent, new URL('/api/v1/units', baseUrl), 'PUT', body);
    let created: number | null = null;
    let updated: number | null = null;
    try {
      const json = JSON.parse(r.body.toString('utf8')) as { created?: number; updated?: number };
      created = json.created ?? null;
      updated = json.updated ?? null;
    } catch {
      // not JSON: the status says what happened
    }
    const tx = await db.query<{ n: number }>('SELECT count(DISTINCT xmin::text)::int AS n FROM units WHERE code = ANY($1::text[])', [units.map((u) => u.code)]);
    out.push({ rows, bytes: Buffer.byteLength(body), status: r.status, ms: round2(r.ms), created, updated, transactions: tx.rows[0]!.n });
  }
  agent.destroy();
  return out;
}

/** `GET /api/v1/invitations/:id/qr.png` for every id at once (one connection each), as an officer's tool or a script would. */
export async function qrBurst(baseUrl: string, ids: string[]): Promise<QrBurst> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: ids.length });
  const t0 = performance.now();
  const replies = await Promise.all(ids.map((id) => send(agent, new URL(`/api/v1/invitations/${id}/qr.png`, baseUrl), 'GET')));
  const durationMs = performance.now() - t0;
  agent.destroy();
  const statuses: Record<string, number> = {};
  for (const r of replies) statuses[String(r.status)] = (statuses[String(r.status)] ?? 0) + 1;
  const png = replies.filter((r) => r.status === 200).map((r) => r.body.length);
  return {
    requests: ids.length,
    invitations: new Set(ids).size,
    statuses,
    durationMs: round2(durationMs),
    latencyMs: percentiles(
      replies.map((r) => r.ms),
      [50, 99, 100],
    ),
    pngBytes: png.length ? percentiles(png, [50]).p50! : 0,
  };
}
