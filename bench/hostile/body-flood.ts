import net from 'node:net';
import { percentiles } from '../lib/stats.js';

/** One kind of unauthenticated request in a flood: its request line and headers (Content-Length is the flood's). */
export type FloodKind = { name: string; method: string; path: string; headers: Record<string, string> };

export type FloodProbe = {
  kind: string;
  /** Status of the first response (null: none). */
  status: number | null;
  /** Until the first response byte arrived: from the request head written (from the body written when the server needed it). */
  responseMs: number | null;
  /** No response came to the head alone within the wait: the server wanted the body, and got it before answering. */
  neededBody: boolean;
  /**
   * After a response to the head alone the client sends the whole body and then a pipelined
   * `GET /healthz`: `drained` — the server answered it, so it read and discarded the whole
   * body first; `closed` — it closed the connection instead; `open` — neither within the limit.
   */
  afterResponse: 'drained' | 'closed' | 'open' | null;
  /** drained: from the first body byte sent until the pipelined answer arrived. */
  drainMs: number | null;
  error: string | null;
};

export type FloodKindSummary = {
  kind: string;
  method: string;
  path: string;
  requests: number;
  statuses: Record<string, number>;
  responseMs: Record<string, number>;
  /** Answered on the head alone, before any body byte was sent. */
  answeredBeforeBody: number;
  neededBody: number;
  drained: number;
  closed: number;
  open: number;
  drainMs: Record<string, number>;
  errors: number;
};

/**
 * A valid JSON body of exactly `bytes` bytes (an array of unit-like rows, then spaces):
 * what an upload looks like, so a server that does parse it pays the full price.
 */
export function jsonBody(bytes: number): Buffer {
  const row = (i: number) => JSON.stringify({ code: `X${String(i).padStart(6, '0')}`, name: `Đơn vị không có thật số ${i}`, group: 'commune' });
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; ; i++) {
    const r = row(i);
    const add = Buffer.byteLength(r) + (parts.length ? 1 : 0);
    if (size + add > bytes) break;
    parts.push(r);
    size += add;
  }
  const json = Buffer.from(`[${parts.join(',')}]`);
  return Buffer.concat([json, Buffer.alloc(bytes - json.length, 0x20)]);
}

const STATUS = /HTTP\/1\.1 (\d{3})/g;

/**
 * One raw socket: the request head with `Content-Length: body.length`, nothing more, and a
 * wait for an answer (`waitMs`); then the body (and, when the server had already answered,
 * a pipelined `GET /healthz` to learn whether it reads the body anyway). Never throws.
 */
export function probe(port: number, kind: FloodKind, body: Buffer, o: { waitMs: number; limitMs: number }): Promise<FloodProbe> {
  return new Promise((resolve) => {
    const r: FloodProbe = { kind: kind.name, status: null, responseMs: null, neededBody: false, afterResponse: null, drainMs: null, error: null };
    const s = net.connect(port, '127.0.0.1');
    let text = '';
    let t0 = 0;
    let bodyAt = 0;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      s.destroy();
      resolve(r);
    };
    const sendBody = (pipelined: boolean) => {
      bodyAt = performance.now();
      s.write(body);
      if (pipelined) s.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n');
      timers.push(
        setTimeout(() => {
          if (pipelined) r.afterResponse = 'open';
          finish();
        }, o.limitMs),
      );
    };
    s.on('connect', () => {
      const head = Object.entries({ host: '127.0.0.1', 'content-type': 'application/json', 'content-length': String(body.length), ...kind.headers })
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n');
      t0 = performance.now();
      s.write(`${kind.method} ${kind.path} HTTP/1.1\r\n${head}\r\n\r\n`);
      timers.push(
        setTimeout(() => {
          if (r.status !== null) return;
          r.neededBody = true;
          sendBody(false);
        }, o.waitMs),
      );
    });
    s.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      const statuses = [...text.matchAll(STATUS)].map((m) => Number(m[1]));
      if (r.status === null && statuses.length) {
        r.status = statuses[0]!;
        r.responseMs = Math.round((performance.now() - (r.neededBody ? bodyAt : t0)) * 100) / 100;
        if (r.neededBody) return finish();
        sendBody(true);
      }
      if (statuses.length >= 2 && !r.neededBody) {
        r.afterResponse = 'drained';
        r.drainMs = Math.round((performance.now() - bodyAt) * 100) / 100;
        finish();
      }
    });
    const closedByServer = () => {
      if (r.status !== null && !r.neededBody && r.afterResponse === null) r.afterResponse = 'closed';
      finish();
    };
    s.on('end', closedByServer);
    s.on('close', closedByServer);
    s.on('error', (err) => {
      if (r.status === null) r.error = err.message;
      closedByServer();
    });
  });
}

/** `count` sockets at once, spread over the kinds in turn. */
export async function flood(port: number, kinds: FloodKind[], count: number, body: Buffer, o = { waitMs: 3000, limitMs: 20_000 }): Promise<FloodProbe[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => probe(port, kinds[i % kinds.length]!, body, o)));
}

export function summarizeFlood(kinds: FloodKind[], probes: FloodProbe[]): FloodKindSummary[] {
  return kinds.map((k) => {
    const mine = probes.filter((p) => p.kind === k.name);
    const statuses: Record<string, number> = {};
    for (const p of mine) statuses[String(p.status ?? 'none')] = (statuses[String(p.status ?? 'none')] ?? 0) + 1;
    const count = (f: (p: FloodProbe) => boolean) => mine.filter(f).length;
    return {
      kind: k.name,
      method: k.method,
      path: k.path,
      requests: mine.length,
      statuses,
      responseMs: percentiles(mine.flatMap((p) => (p.responseMs === null ? [] : [p.responseMs])), [50, 99, 100]),
      answeredBeforeBody: count((p) => p.status !== null && !p.neededBody),
      neededBody: count((p) => p.neededBody),
      drained: count((p) => p.afterResponse === 'drained'),
      closed: count((p) => p.afterResponse === 'closed'),
      open: count((p) => p.afterResponse === 'open'),
      drainMs: percentiles(mine.flatMap((p) => (p.drainMs === null ? [] : [p.drainMs])), [50, 100]),
      errors: count((p) => p.error !== null),
    };
  });
}
