import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { FakeTelegramServer } from '../../test/support/fake-telegram-server.js';
import { cpuSecondsOf, sampleRss, sleep } from '../../test/support/spawn-script.js';
import type { TelegramSendStats } from '../../test/support/telegram-send-stats.js';
import { loadAverage, type LoadAverage } from '../lib/machine.js';
import { dbUrl } from '../lib/pg.js';
import { bulkInvitations } from '../lib/bulk-invitations.js';
import { api, startProduct } from '../lib/product.js';
import { deleteKeys, REDIS_URL } from '../lib/redis-keys.js';
import { round2 } from '../lib/stats.js';
import { benchUnits } from '../lib/units.js';
import { startReplyProbes, type ReplyProbes } from './reply-probes.js';

/**
 * The product's Telegram pacing, as configured in src/channels/telegram/telegram-lanes.ts
 * (bot-wide messages per second, sends in flight per worker): restated here, the figures
 * the measured rate is compared with.
 */
export const CONFIGURED_JOBS_PER_SECOND = 25;
export const TELEGRAM_SEND_CONCURRENCY = 16;
/** Rows per `POST /api/v1/invitations/bulk` (the API's documented maximum). */
const MAX_BULK_INVITATIONS = 5000;
const FAKE_LIMITS = { globalPerSecond: 30, perChatIntervalMs: 1000 };
/** Own database and Redis prefix, so a benchmark of another kind running meanwhile cannot clear this one's queue. */
const BROADCAST_DB = 'sipas_bench_broadcast';
const BROADCAST_PREFIX = '{bench-broadcast}';
const BURST_SIZE = 4;
/** The k-th invitation of a burst chat is for unit BURST-k, whose name the invitation text carries: the fake reads k back for its order check. */
const burstUnits = Array.from({ length: BURST_SIZE }, (_, i) => ({ code: `BURST-${i + 1}`, name: `Bộ phận Một cửa (BURST-${i + 1})`, group: 'bench' }));
const burstSequence = (text: string) => {
  const m = /\(BURST-(\d+)\)/.exec(text);
  return m ? Number(m[1]) : undefined;
};

export type { ReplyProbes } from './reply-probes.js';

export type BroadcastResult = {
  messages: number;
  chats: number;
  singleMessageChats: number;
  burstChats: number;
  burstSize: number;
  /** Messages per second configured (one message per job here, so also jobs per second). */
  configuredJobsPerSecond: number;
  /** Telegram sends the worker runs at once (absent in results written before it was recorded). */
  sendConcurrency?: number;
  fakeLimits: typeof FAKE_LIMITS;
  /** Time to create every invitation through the bulk API until the last was queued (not counted in durationMs). */
  enqueueMs: number;
  /** Invitations created through `POST /api/v1/invitations/bulk`: all of them (results before the bursts went through the API too: the single-message chats'). */
  invitations: { requested: number; created: number; bulkRequests: number; createMs: number; sent: number; undeliverable: number };
  /** The burst chats' invitations were created in this many rounds, each queued before the next (absent: bursts enqueued directly). */
  burstRounds?: number;
  /** From resuming the queue until the fake accepted the last message. */
  durationMs: number;
  achievedPerSecond: number;
  /** Accepted messages between the first and the last accepted one. */
  steadyPerSecond: number;
  completed: boolean;
  fake: TelegramSendStats;
  /** Conversations during the broadcast: how long a citizen who writes waits for the bot's answer. */
  replies: ReplyProbes;
  failedJobs: number;
  workerCpuSeconds: number;
  rss: { peakRssMiB: number; hwmMiB: number };
  loadBefore: LoadAverage;
  loadAfter: LoadAverage;
};

type Invitation = { unitCode: string; chatId: number; dossierCode: string };

/** Creates `rows` through the bulk API (at most 5,000 a request); returns how many were created and how many requests it took. */
async function createInvitations(url: string, rows: Invitation[]): Promise<{ created: number; requests: number }> {
  let created = 0;
  let requests = 0;
  for (let i = 0; i < rows.length; i += MAX_BULK_INVITATIONS) {
    const invitations = rows.slice(i, i + MAX_BULK_INVITATIONS).map((r) => ({ unitCode: r.unitCode, channel: 'telegram', procedureCode: '1.001234', dossierCode: r.dossierCode, recipient: { telegramChatId: String(r.chatId) } }));
    // Created in the background: the upload's batch is followed until the worker is done.
    const batch = await bulkInvitations(url, invitations);
    if (batch.errors > 0) throw new Error(`bulk invitations: ${batch.errors} rows refused`);
    created += batch.created;
    requests++;
  }
  return { created, requests };
}

/** Waits until the invitations worker has turned `count` invitations into outbound jobs (the queue is paused, so they wait). */
async function waitQueued(queue: Queue, count: number): Promise<void> {
  for (const deadline = Date.now() + 10 * 60_000; Date.now() < deadline; await sleep(200)) {
    const c = await queue.getJobCounts('waiting', 'prioritized');
    if ((c.waiting ?? 0) + (c.prioritized ?? 0) >= count) return;
  }
  throw new Error(`the invitations worker did not queue ${count} invitations within 10 minutes`);
}

/**
 * Benchmark 4: N invitations through the product's Telegram outbound queue against a fake
 * that enforces Telegram's limits. Everything goes through `POST /api/v1/invitations/bulk`:
 * most chats get one invitation (the broadcast proper); burst chats get `BURST_SIZE`, created
 * in as many rounds, each queued before the next, so each burst chat's lane holds them in
 * a known order that the fake checks.
 */
export async function runBroadcastBench(o: { messages: number; logDir: string; log: (s: string) => void }): Promise<BroadcastResult> {
  await deleteKeys(BROADCAST_PREFIX);
  const fake = await new FakeTelegramServer({ recordCalls: false, username: 'sipas_bench_bot', sequenceOf: burstSequence }).start();
  fake.enforceLimits(FAKE_LIMITS);
  // Web and workers in one process (as `npm start`): the bulk API, the invitations worker and the sender.
  const product = await startProduct({ database: BROADCAST_DB, prefix: BROADCAST_PREFIX, telegramApiRoot: fake.url, logDir: o.logDir, label: 'broadcast' });
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  // The outbound queue by name: held until everything is queued, so the run measures the pacing, not the enqueue.
  const queue = new Queue('outbound-telegram', { connection, prefix: BROADCAST_PREFIX });
  const db = new pg.Pool({ connectionString: dbUrl(BROADCAST_DB), max: 2 });
  try {
    const bursts = Math.floor((o.messages * 0.4) / BURST_SIZE);
    const singles = o.messages - bursts * BURST_SIZE;
    const url = product.url!;
    const units = benchUnits();
    await api(`${url}/api/v1/units`, 'PUT', [...units, ...burstUnits]);
    await db.query('TRUNCATE invitations, outbound_messages CASCADE');
    await queue.pause();
    const e0 = Date.now();
    const single = await createInvitations(url, Array.from({ length: singles }, (_, s) => ({ unitCode: units[s % units.length]!.code, chatId: 900_000_000 + s, dossierCode: `BC-${s}` })));
    await waitQueued(queue, singles);
    let created = single.created;
    let requests = single.requests;
    for (let k = 1; k <= BURST_SIZE; k++) {
      const round = await createInvitations(url, Array.from({ length: bursts }, (_, b) => ({ unitCode: `BURST-${k}`, chatId: 950_000_000 + b, dossierCode: `BC-B${b}` })));
      created += round.created;
      requests += round.requests;
      await waitQueued(queue, singles + k * bursts);
    }
    const enqueueMs = Date.now() - e0;
    o.log(`broadcast: ${created} invitations created through ${requests} bulk requests and queued in ${enqueueMs} ms (${singles} single-message chats, ${bursts} chats × ${BURST_SIZE}); sending at the configured ${CONFIGURED_JOBS_PER_SECOND} messages/s`);

    const loadBefore = loadAverage();
    const cpu0 = cpuSecondsOf(product.proc.pid) ?? 0;
    const rss = sampleRss(product.proc.pid, 200);
    const t0 = Date.now();
    await queue.resume();
    const probes = startReplyProbes(url, fake, o.messages);
    const broadcastAccepted = () => fake.stats().accepted - probes.accepted();
    // Generous bound: three times the time the configured rate needs.
    const deadline = t0 + Math.max(60_000, (o.messages / CONFIGURED_JOBS_PER_SECOND) * 3000);
    for (let lastLog = t0; broadcastAccepted() < o.messages && Date.now() < deadline; await sleep(100)) {
      if (Date.now() - lastLog < 30_000) continue;
      lastLog = Date.now();
      const s = fake.stats();
      o.log(`broadcast: ${s.accepted}/${o.messages} accepted, 429s ${s.rejected429Global} global / ${s.rejected429PerChat} per chat, out of order ${s.outOfOrder}`);
    }
    const durationMs = Date.now() - t0;
    const replies = await probes.result();
    const stats = fake.stats();
    if (bursts > 0 && !stats.sequenced) throw new Error('the fake numbered none of the burst invitations: the per-chat order went unchecked (has the invitation text stopped naming its unit?)');
    const cpu1 = cpuSecondsOf(product.proc.pid) ?? 0;
    const mem = rss.stop();
    for (let i = 0; i < 50; i++) {
      const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed');
      if ((c.waiting ?? 0) + (c.prioritized ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0) break;
      await sleep(100);
    }
    const failedJobs = (await queue.getJobCounts('failed')).failed ?? 0;
    const statuses = await db.query<{ status: string; n: number }>(`SELECT status::text, count(*)::int AS n FROM invitations GROUP BY 1`);
    const byStatus = new Map(statuses.rows.map((r) => [r.status, r.n]));
    const steadyMs = stats.firstAcceptedAt && stats.lastAcceptedAt ? stats.lastAcceptedAt - stats.firstAcceptedAt : 0;
    return {
      messages: o.messages,
      chats: singles + bursts,
      singleMessageChats: singles,
      burstChats: bursts,
      burstSize: BURST_SIZE,
      configuredJobsPerSecond: CONFIGURED_JOBS_PER_SECOND,
      sendConcurrency: TELEGRAM_SEND_CONCURRENCY,
      fakeLimits: FAKE_LIMITS,
      enqueueMs,
      invitations: { requested: o.messages, created, bulkRequests: requests, createMs: enqueueMs, sent: byStatus.get('sent') ?? 0, undeliverable: byStatus.get('undeliverable') ?? 0 },
      burstRounds: BURST_SIZE,
      durationMs,
      // The probes' replies go through the same pacer, so they count in the achieved rate.
      achievedPerSecond: round2((stats.accepted / durationMs) * 1000),
      steadyPerSecond: steadyMs > 0 ? round2(((stats.accepted - 1) / steadyMs) * 1000) : 0,
      completed: stats.accepted - replies.accepted >= o.messages,
      fake: stats,
      replies: replies.summary,
      failedJobs,
      workerCpuSeconds: round2(cpu1 - cpu0),
      rss: mem,
      loadBefore,
      loadAfter: loadAverage(),
    };
  } finally {
    await queue.close();
    connection.disconnect();
    await db.end();
    await product.proc.stop(60_000);
    await fake.close();
    await deleteKeys(BROADCAST_PREFIX);
  }
}

/** Standalone run for iteration: `npx tsx bench/broadcast/bench-broadcast.ts [--messages 2000]` (same database and prefix as in `npm run bench`). */
async function main(): Promise<void> {
  const i = process.argv.indexOf('--messages');
  const messages = i > 0 ? Number(process.argv[i + 1]) : 2000;
  const logDir = path.join('bench', 'results', `broadcast-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(logDir, { recursive: true });
  const log = (line: string) => process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const r = await runBroadcastBench({ messages, logDir, log });
  const f = r.fake;
  log(JSON.stringify(r, null, 2));
  log(
    `${r.messages} messages in ${(r.durationMs / 1000).toFixed(1)} s: ${r.achievedPerSecond}/s (steady ${r.steadyPerSecond}/s) of ${r.configuredJobsPerSecond}/s configured; ` +
      `429s ${f.rejected429Global} global / ${f.rejected429PerChat} per chat; out of order ${f.outOfOrder} (${f.chatsWithOutOfOrder} chats); repeated ${f.duplicates}; ` +
      `max ${f.maxAcceptedInRollingSecond} in a rolling second; min gap in one chat ${f.minChatGapMs ?? '–'} ms; failed jobs ${r.failedJobs}; ` +
      `replies during the broadcast: ${r.replies.answered}/${r.replies.sent} answered, wait p50 ${r.replies.latencyMs.p50} ms, max ${r.replies.maxMs} ms (backlog ${r.replies.backlogAtProbe})`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
