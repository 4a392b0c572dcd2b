import net from 'node:net';
import { percentiles } from '../lib/stats.js';
import type { FloodKind } from './body-flood.js';

export type SlowSocket = {
  kind: string;
  /** First response from the server: status and when (ms after the head was sent); null: none. */
  status: number | null;
  responseMs: number | null;
  /** When the server ended the connection (ms after the head was sent); null: still open when the observation ended. */
  closedMs: number | null;
  /** Body bytes the socket had trickled in when it was closed (or at the end). */
  bytesSent: number;
  error: string | null;
};

export type SlowKindSummary = {
  kind: string;
  method: string;
  path: string;
  sockets: number;
  statuses: Record<string, number>;
  /** When the first response came (e.g. a 401 at once, or the 408 of the request timeout). */
  responseMs: Record<string, number>;
  closed: number;
  stillOpen: number;
  closedMs: Record<string, number>;
  errors: number;
};

const STATUS = /HTTP\/1\.1 (\d{3})/;

/**
 * Slow-body sockets: each sends a request head announcing `contentLength` bytes and then
 * trickles one byte every `everyMs`, until the server closes the connection or `observeMs`
 * has passed (then the client closes it). Records when the server answered and closed each.
 */
export async function slowBodies(port: number, kinds: FloodKind[], count: number, o: { contentLength: number; everyMs: number; observeMs: number; openGapMs?: number }): Promise<SlowSocket[]> {
  const one = (kind: FloodKind) =>
    new Promise<SlowSocket>((resolve) => {
      const r: SlowSocket = { kind: kind.name, status: null, responseMs: null, closedMs: null, bytesSent: 0, error: null };
      const s = net.connect(port, '127.0.0.1');
      let t0 = 0;
      let text = '';
      let settled = false;
      let tick: NodeJS.Timeout | undefined;
      const end = (byServer: boolean) => {
        if (settled) return;
        settled = true;
        clearInterval(tick);
        clearTimeout(limit);
        if (byServer) r.closedMs = Math.round(performance.now() - t0);
        s.destroy();
        resolve(r);
      };
      const limit = setTimeout(() => end(false), o.observeMs);
      s.on('connect', () => {
        const head = Object.entries({ host: '127.0.0.1', 'content-type': 'application/json', 'content-length': String(o.contentLength), ...kind.headers })
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n');
        t0 = performance.now();
        s.write(`${kind.method} ${kind.path} HTTP/1.1\r\n${head}\r\n\r\n`);
        tick = setInterval(() => {
          if (r.bytesSent < o.contentLength && s.writable) {
            s.write(r.bytesSent === 0 ? '[' : ' ');
            r.bytesSent++;
          }
        }, o.everyMs);
      });
      s.on('data', (d: Buffer) => {
        text += d.toString('latin1');
        const m = STATUS.exec(text);
        if (m && r.status === null) {
          r.status = Number(m[1]);
          r.responseMs = Math.round(performance.now() - t0);
        }
      });
      s.on('end', () => end(true));
      s.on('close', () => end(true));
      s.on('error', (err) => {
        r.error = err.message;
        end(true);
      });
    });
  const sockets: Promise<SlowSocket>[] = [];
  for (let i = 0; i < count; i++) {
    sockets.push(one(kinds[i % kinds.length]!));
    // Opened in quick succession rather than in one burst: the connect queue is not what is measured.
    if (o.openGapMs) await new Promise((r) => setTimeout(r, o.openGapMs));
  }
  return Promise.all(sockets);
}

export function summarizeSlow(kinds: FloodKind[], sockets: SlowSocket[]): SlowKindSummary[] {
  return kinds.map((k) => {
    const mine = sockets.filter((s) => s.kind === k.name);
    const statuses: Record<string, number> = {};
    for (const s of mine) statuses[String(s.status ?? 'none')] = (statuses[String(s.status ?? 'none')] ?? 0) + 1;
    const closed = mine.flatMap((s) => (s.closedMs === null ? [] : [s.closedMs]));
    return {
      kind: k.name,
      method: k.method,
      path: k.path,
      sockets: mine.length,
      statuses,
      responseMs: percentiles(mine.flatMap((s) => (s.responseMs === null ? [] : [s.responseMs])), [0, 50, 100]),
      closed: closed.length,
      stillOpen: mine.length - closed.length,
      closedMs: percentiles(closed, [0, 50, 100]),
      errors: mine.filter((s) => s.error !== null).length,
    };
  });
}
