import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, startProduct, type Product } from '../support/start-product.js';
import { waitUntil } from '../support/wait-until.js';

// Requests that must cost the service nothing: refused before their body is read, the
// connection closed, and a client that vanishes mid-upload not taken for an outage.
let product: Product;
let port: number;

beforeAll(async () => {
  product = await startProduct({}, { worker: false });
  await product.app!.listen({ port: 0, host: '127.0.0.1' });
  port = (product.app!.server.address() as { port: number }).port;
});
afterAll(async () => product?.stop());

/** Sends a request head announcing a 1 MiB body (and no body); resolves with what came back and whether the server closed the socket. */
function headOnly(head: string): Promise<{ response: string; closed: boolean; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let response = '';
    const timer = setTimeout(() => resolve({ response, closed: false, socket }), 3_000);
    socket.on('data', (d) => (response += d.toString()));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve({ response, closed: true, socket });
    });
    socket.on('error', reject);
    socket.write(`${head}\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n`);
  });
}

describe('hostile requests', () => {
  it('an upload without a key is refused 401 before its body is sent, and the connection closed', async () => {
    const { response, closed } = await headOnly('PUT /api/v1/units HTTP/1.1');
    expect(response).toMatch(/^HTTP\/1\.1 401/);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(closed).toBe(true);
  });

  it('a post to a route that does not exist is refused before its body is read: 401 without a key, 404 with one', async () => {
    for (const path of ['/api/v1/no-such-route', '/api/v1/units']) {
      const { response, closed } = await headOnly(`POST ${path} HTTP/1.1`);
      expect(response).toMatch(/^HTTP\/1\.1 401/);
      expect(response).toContain('"unauthorized"');
      expect(closed).toBe(true);
      const keyed = await headOnly(`POST ${path} HTTP/1.1\r\nAuthorization: ${adminHeaders.authorization}`);
      expect(keyed.response).toMatch(/^HTTP\/1\.1 404/);
      expect(keyed.closed).toBe(true);
    }
    // Outside the API an unknown route is just not there.
    expect((await headOnly('POST /no-such-route HTTP/1.1')).response).toMatch(/^HTTP\/1\.1 404/);
  });

  it('an unsigned Zalo delivery is refused before its body is read', async () => {
    const { response, closed } = await headOnly('POST /webhooks/zalo HTTP/1.1');
    // Without Zalo credentials the route does not exist; either way nothing is read.
    expect(response).toMatch(/^HTTP\/1\.1 (401|404)/);
    expect(closed).toBe(true);
  });

  it('a slow-body sender is cut off at 30 s', { timeout: 45_000 }, async () => {
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const started = Date.now();
    socket.write(`PUT /api/v1/units HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${adminHeaders.authorization}\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n[`);
    // One byte a second: never idle, never done.
    const drip = setInterval(() => socket.writable && socket.write(' '), 1_000);
    socket.on('error', () => undefined);
    await new Promise((r) => socket.once('close', r));
    clearInterval(drip);
    const after = Date.now() - started;
    // REQUEST_TIMEOUT_MS, with a little slack for a busy machine (it used to be about 35 s).
    expect(after).toBeGreaterThan(27_000);
    expect(after).toBeLessThan(30_800);
  });

  it('an upload abandoned mid-body is not counted as a database outage', async () => {
    const auth = `Authorization: ${adminHeaders.authorization}`;
    const socket = connect(port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(`PUT /api/v1/units HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n[{"code":"X`);
    await new Promise((r) => setTimeout(r, 200));
    socket.destroy();
    // The service notices the abort and stays healthy; nothing was blamed on PostgreSQL.
    await waitUntil(async () => (await product.app!.inject({ method: 'GET', url: '/healthz' })).statusCode === 200, 'health');
    await new Promise((r) => setTimeout(r, 200));
    const metrics = (await product.app!.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).not.toMatch(/sipas_requests_dependency_unavailable_total\{dependency="postgres"\} [1-9]/);
  });
});
