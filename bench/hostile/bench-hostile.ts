import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { createFakeZaloServer } from '../../test/support/fake-zalo-server.js';
import { sleep, spawnScript, waitOutput } from '../../test/support/spawn-script.js';
import { ZALO_TEST, zaloEnv } from '../../test/support/zalo-webhook-events.js';
import { loadAverage, type LoadAverage } from '../lib/machine.js';
import { bulkInvitations } from '../lib/bulk-invitations.js';
import { dbUrl } from '../lib/pg.js';
import { api, BENCH_ADMIN_KEY, BENCH_TG_SECRET, startProduct } from '../lib/product.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { benchUnits } from '../lib/units.js';
import { qrBurst, uploadUnits, type QrBurst, type UnitUpload } from './admin-load.js';
import { flood, jsonBody, summarizeFlood, type FloodKind, type FloodKindSummary } from './body-flood.js';
import { phaseResults, timedPhase, type PhaseResult, type PhaseWindow } from './phases.js';
import { slowBodies, summarizeSlow, type SlowKindSummary } from './slow-bodies.js';
import type { WatchInput, WatchOutput } from './watch.js';

const HOSTILE_DB = 'sipas_bench_hostile';
const HOSTILE_PREFIX = '{bench-hostile}';
/** The product's request timeout and body limit, restated (src/api/build-app.ts): what the figures are read against. */
export const REQUEST_TIMEOUT_MS = 30_000;
const MIB = 1024 * 1024;
const HEALTHZ_EVERY_MS = 20;
/** After each attack, its window stays open this long (a stall it leaves behind still counts); then a pause before the next. */
const TAIL_MS = 500;
const GAP_MS = 2000;

export type HostileSizes = {
  citizens: number;
  thinkMs: number;
  baselineMs: number;
  /** Concurrent unauthenticated 1 MiB requests per flood. */
  floodRequests: number;
  unitRows: number;
  unitUploads: number;
  qrRequests: number;
  slowSockets: number;
  /** How long the slow-body sockets are watched before the client gives up on them. */
  slowObserveMs: number;
};

export type HostileResult = {
  sizes: HostileSizes;
  healthzEveryMs: number;
  requestTimeoutMs: number;
  floodBodyBytes: number;
  phases: PhaseResult[];
  floods: { unitsPut: FloodKindSummary[]; unitsPost: FloodKindSummary[]; zalo: FloodKindSummary[] };
  uploads: UnitUpload[];
  qr: { distinct: QrBurst; cached: QrBurst };
  slow: { contentLength: number; everyMs: number; observeMs: number; kinds: SlowKindSummary[] };
  watch: { surveysCompleted: number; retries: number; acks: number; healthz: number };
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

/** A bearer key of the product's own format that belongs to no one: refusing it costs a database lookup. */
const WRONG_KEY = `Bearer sk_${randomBytes(6).toString('hex')}_${randomBytes(24).toString('base64url')}`;
const unitsPut: FloodKind[] = [
  { name: 'no key', method: 'PUT', path: '/api/v1/units', headers: {} },
  { name: 'wrong key', method: 'PUT', path: '/api/v1/units', headers: { authorization: WRONG_KEY } },
];
const unitsPost: FloodKind[] = unitsPut.map((k) => ({ ...k, method: 'POST' }));
const zalo: FloodKind[] = [{ name: 'no signature', method: 'POST', path: '/webhooks/zalo', headers: {} }];
const slowKinds: FloodKind[] = [
  { name: 'no key (401 at once)', method: 'PUT', path: '/api/v1/units', headers: {} },
  { name: 'admin key (the route reads the body)', method: 'PUT', path: '/api/v1/units', headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } },
  { name: 'no key, POST (no such route)', method: 'POST', path: '/api/v1/units', headers: {} },
];

/** Invitations whose QR codes the QR phase asks for (created through the bulk API, no recipient, so nothing is sent). */
async function qrInvitations(url: string, n: number): Promise<string[]> {
  const units = benchUnits();
  const invitations = Array.from({ length: n }, (_, i) => ({ unitCode: units[i % units.length]!.code, channel: 'telegram', procedureCode: '1.001234', dossierCode: `QR-${Date.now()}-${i}` }));
  const batch = await bulkInvitations(url, invitations);
  if (batch.errors > 0) throw new Error(`bulk invitations: ${batch.errors} rows refused`);
  return batch.results.map((r) => r.invitationId!);
}

/**
 * The hostile benchmark (issue 20): one product process (web + workers, as `npm start`),
 * Telegram at the fake Bot API and Zalo at the fake Zalo server; simulated citizens answer
 * surveys throughout (bench/hostile/watch.ts, own process) while, one after another,
 * unauthenticated 1 MiB floods, a 10,000-unit upload, QR bursts and slow-body sockets hit it.
 */
export async function runHostileBench(o: { sizes: HostileSizes; telegramApiRoot: string; logDir: string; resultsDir: string; log: (s: string) => void }): Promise<HostileResult> {
  const { sizes, log } = o;
  await deleteKeys(HOSTILE_PREFIX);
  const zaloFake = await createFakeZaloServer({ appId: ZALO_TEST.appId, appSecretKey: ZALO_TEST.appSecretKey, accessToken: ZALO_TEST.accessToken, refreshToken: ZALO_TEST.refreshToken });
  const product = await startProduct({ database: HOSTILE_DB, prefix: HOSTILE_PREFIX, telegramApiRoot: o.telegramApiRoot, logDir: o.logDir, label: 'hostile', env: zaloEnv(zaloFake.url) });
  const db = new pg.Pool({ connectionString: dbUrl(HOSTILE_DB), max: 2 });
  const url = product.url!;
  const pid = product.proc.pid;
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  // The replies by name (as an operator can): held for the run, see below.
  const outbound = new Queue('outbound-telegram', { connection, prefix: HOSTILE_PREFIX });
  let watcher: ReturnType<typeof spawnScript> | undefined;
  try {
    // The citizens answer far faster than Telegram's one message a second per chat lets the bot
    // ask: their replies would pile up in the chat lanes and be postponed over and over, which
    // is the lanes' work (§4), not the web path under attack that this benchmark measures.
    await outbound.pause();
    const units = benchUnits();
    await api(`${url}/api/v1/units`, 'PUT', units);
    const qrIds = await qrInvitations(url, sizes.qrRequests);
    const body = jsonBody(MIB);

    const input: WatchInput = { url, secret: BENCH_TG_SECRET, citizens: sizes.citizens, thinkMs: sizes.thinkMs, healthzEveryMs: HEALTHZ_EVERY_MS, unitCodes: units.slice(0, 50).map((u) => u.code), questionnaire: 'sipas-2017', chatIdBase: 600_000_000 };
    const inPath = path.join(o.resultsDir, 'hostile-watch.in.json');
    const outPath = path.join(o.resultsDir, 'hostile-watch.out.json');
    writeFileSync(inPath, JSON.stringify(input));
    watcher = spawnScript('bench/hostile/watch.ts', { name: 'hostile-watch', args: [inPath, outPath], logFile: path.join(o.logDir, 'hostile-watch.log') });
    await waitOutput(watcher, 'watching', 60_000);
    // Warm-up (not counted): sessions, statements and the answers worker get going.
    await sleep(3000);
    const loadBefore = loadAverage();
    const windows: PhaseWindow[] = [];
    const phase = async <T>(name: PhaseWindow['name'], attack: () => Promise<T>): Promise<T> => {
      const { window, result } = await timedPhase(name, { pid, url }, TAIL_MS, attack);
      windows.push(window);
      await sleep(GAP_MS);
      return result;
    };

    log(`hostile: baseline, ${sizes.citizens} citizens for ${sizes.baselineMs / 1000} s`);
    await phase('baseline', () => sleep(sizes.baselineMs));
    log(`hostile: ${sizes.floodRequests} unauthenticated 1 MiB PUT /api/v1/units at once`);
    const putProbes = await phase('unitsPut', () => flood(product.port, unitsPut, sizes.floodRequests, body));
    log(`hostile: ${sizes.floodRequests} unauthenticated 1 MiB POST /api/v1/units at once`);
    const postProbes = await phase('unitsPost', () => flood(product.port, unitsPost, sizes.floodRequests, body));
    log(`hostile: ${sizes.floodRequests} unsigned 1 MiB POST /webhooks/zalo at once`);
    const zaloProbes = await phase('zalo', () => flood(product.port, zalo, sizes.floodRequests, body));
    log(`hostile: ${sizes.unitUploads} × PUT /api/v1/units of ${sizes.unitRows} units`);
    const uploads = await phase('unitUpload', () => uploadUnits(url, db, sizes.unitRows, sizes.unitUploads));
    log(`hostile: ${qrIds.length} QR codes at once, then the same again`);
    const qrDistinct = await phase('qrDistinct', () => qrBurst(url, qrIds));
    const qrCached = await phase('qrCached', () => qrBurst(url, qrIds));
    log(`hostile: ${sizes.slowSockets} slow-body sockets (1 byte/s), watched for up to ${sizes.slowObserveMs / 1000} s`);
    const slow = { contentLength: MIB, everyMs: 1000, observeMs: sizes.slowObserveMs };
    const slowSockets = await phase('slowBodies', () => slowBodies(product.port, slowKinds, sizes.slowSockets, { ...slow, openGapMs: 5 }));
    const loadAfter = loadAverage();

    await watcher.stop(60_000);
    const watched = JSON.parse(readFileSync(outPath, 'utf8')) as WatchOutput;
    const phases = phaseResults(windows, watched.acks, watched.healthz);
    for (const p of phases) log(`hostile: ${p.name}: ack p50/p99/max ${p.acks.p50}/${p.acks.p99}/${p.acks.max} ms (${p.acks.samples}, ${p.acks.non2xx} non-2xx); /healthz ${p.healthz.p50}/${p.healthz.p99}/${p.healthz.max} ms`);
    return {
      sizes,
      healthzEveryMs: HEALTHZ_EVERY_MS,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      floodBodyBytes: body.length,
      phases,
      floods: { unitsPut: summarizeFlood(unitsPut, putProbes), unitsPost: summarizeFlood(unitsPost, postProbes), zalo: summarizeFlood(zalo, zaloProbes) },
      uploads,
      qr: { distinct: qrDistinct, cached: qrCached },
      slow: { ...slow, kinds: summarizeSlow(slowKinds, slowSockets) },
      watch: { surveysCompleted: watched.surveysCompleted, retries: watched.retries, acks: watched.acks.at.length, healthz: watched.healthz.at.length },
      loadBefore,
      loadAfter,
    };
  } finally {
    await watcher?.stop(10_000);
    await outbound.close();
    connection.disconnect();
    await db.end();
    await product.proc.stop(60_000);
    await zaloFake.close();
    await deleteKeys(HOSTILE_PREFIX);
  }
}
